import { describe, expect, it } from 'vitest';
import { ConfigError, createApp, loadConfig, trustProxyOf, CommonConfigSchema } from '../src/index.ts';

async function ipSeenBy(trust: string | undefined, headers: Record<string, string>): Promise<string> {
  const app = await createApp({ service: 'probe', logger: false, trustProxy: trustProxyOf(trust) });
  app.get('/v1/ip', { config: { auth: 'public' } }, async (request) => ({ ip: request.ip }));
  try {
    return ((await app.inject({ url: '/v1/ip', headers, remoteAddress: '10.0.0.5' })).json() as { ip: string }).ip;
  } finally {
    await app.close();
  }
}

describe('whose address a request comes from (TRUST_PROXY)', () => {
  const forwarded = { 'x-forwarded-for': '203.0.113.7, 198.51.100.2' };

  it('when no proxy is trusted, then X-Forwarded-For is ignored: a client cannot pick its own address', async () => {
    expect(await ipSeenBy(undefined, forwarded)).toBe('10.0.0.5');
    expect(await ipSeenBy('false', forwarded)).toBe('10.0.0.5');
  });

  it('when one hop is trusted (a service behind the gateway), then the address the gateway saw is used', async () => {
    expect(await ipSeenBy('1', forwarded)).toBe('198.51.100.2');
    expect(await ipSeenBy('2', forwarded)).toBe('203.0.113.7');
  });

  it('when proxies are named by address, then only they are believed', async () => {
    expect(await ipSeenBy('10.0.0.0/8', forwarded)).toBe('198.51.100.2');
    expect(await ipSeenBy('192.168.0.1', forwarded)).toBe('10.0.0.5');
  });

  it('when the setting is nonsense, then start-up stops naming it', () => {
    expect(() => loadConfig(CommonConfigSchema, { TRUST_PROXY: 'yes please' })).toThrow(ConfigError);
    expect(() => loadConfig(CommonConfigSchema, { TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY/);
  });
});
