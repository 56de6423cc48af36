/** One attempt over real HTTP: what counts as an answer, what is refused before any request is made. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LookupAddress } from 'node:dns';
import { httpSender, publicOnlyLookup } from '../src/sender/http-sender.ts';

describe('sending one attempt', () => {
  let server: Server;
  let port = 0;
  const hits: string[] = [];
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      hits.push(req.url ?? '');
      if (req.url === '/redirect') return void res.writeHead(302, { location: `http://127.0.0.1:${port}/elsewhere` }).end();
      if (req.url === '/slow') return; // never answers
      if (req.url === '/busy') return void res.writeHead(429, { 'retry-after': '7' }).end(`${'x'.repeat(2000)}`);
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const send = (path: string, over: Partial<Parameters<typeof httpSender>[0]> = {}) =>
    httpSender({ url: `http://127.0.0.1:${port}${path}`, headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 2000, allowPrivateUrls: true, ...over });

  it('when the receiver answers, then its status, Retry-After and a short excerpt are kept', async () => {
    expect(await send('/ok')).toMatchObject({ kind: 'response', status: 204, retryAfterMs: null, excerpt: '' });
    const busy = await send('/busy');
    expect(busy).toMatchObject({ kind: 'response', status: 429, retryAfterMs: 7000 });
    expect(busy.kind === 'response' && busy.excerpt.length).toBeLessThanOrEqual(300);
  });

  it('when the receiver redirects, then the redirect is not followed', async () => {
    hits.length = 0;
    expect(await send('/redirect')).toMatchObject({ kind: 'response', status: 302 });
    expect(hits).toEqual(['/redirect']);
  });

  it('when the receiver does not answer in time, or nobody listens, then the attempt fails with the reason', async () => {
    expect(await send('/slow', { timeoutMs: 200 })).toMatchObject({ kind: 'error', error: 'no answer within 200 ms' });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await httpSender({ url: `http://127.0.0.1:${closedPort}/`, headers: {}, body: '{}', timeoutMs: 2000, allowPrivateUrls: true });
    expect(refused).toMatchObject({ kind: 'error' });
    expect(refused.kind === 'error' && refused.error).toMatch(/^could not connect: ECONNREFUSED/);
  });

  it('when private receivers are not allowed, then a name that resolves to one is refused before any request is made', async () => {
    hits.length = 0;
    const result = await httpSender({ url: `http://localhost:${port}/ok`, headers: {}, body: '{}', timeoutMs: 2000, allowPrivateUrls: false });
    expect(result).toMatchObject({ kind: 'error' });
    expect(result.kind === 'error' && result.error).toMatch(/^refused: localhost resolves to the private or reserved address (127\.0\.0\.1|::1)/);
    expect(hits).toEqual([]);
  });

  it('when the process stops mid-attempt, then the attempt is reported interrupted', async () => {
    const stop = new AbortController();
    const pending = send('/slow', { timeoutMs: 10_000, signal: stop.signal });
    setTimeout(() => stop.abort(), 50);
    expect(await pending).toEqual({ kind: 'interrupted' });
  });

  it('when private receivers are not allowed, then an address written in the URL is refused too', async () => {
    hits.length = 0;
    const result = await httpSender({ url: `http://127.0.0.1:${port}/ok`, headers: {}, body: '{}', timeoutMs: 2000, allowPrivateUrls: false });
    expect(result.kind === 'error' && result.error).toMatch(/^refused: 127\.0\.0\.1 resolves to the private or reserved address 127\.0\.0\.1/);
    expect(hits).toEqual([]);
  });
});

describe('the lookup that connects only to public addresses', () => {
  /** A DNS whose answers change from one question to the next, as a rebinding attacker's does. */
  const rebinding = (...answers: LookupAddress[][]) => {
    let asked = 0;
    const resolve = (_host: string, options: { all?: boolean }, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
      const answer = answers[Math.min(asked++, answers.length - 1)] as LookupAddress[];
      if (options.all) callback(null, answer);
      else callback(null, answer[0]?.address as string, answer[0]?.family);
    };
    return { resolve, asked: () => asked };
  };
  const ask = (lookup: ReturnType<typeof publicOnlyLookup>, all: boolean) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: string | LookupAddress[] }>((resolve) => lookup('hooks.example.test', { all }, (error, address) => resolve({ error, address })));

  it('when the name answers a public address, then the connection gets exactly that answer, asked once', async () => {
    const dns = rebinding([{ address: '93.184.216.34', family: 4 }], [{ address: '127.0.0.1', family: 4 }]);
    const lookup = publicOnlyLookup(dns.resolve);
    expect(await ask(lookup, true)).toEqual({ error: null, address: [{ address: '93.184.216.34', family: 4 }] });
    expect(dns.asked()).toBe(1);
  });

  it('when the answer changes to a private address, or holds one among public ones, then that connection is refused with the reason', async () => {
    const dns = rebinding([{ address: '93.184.216.34', family: 4 }], [{ address: '10.0.0.7', family: 4 }], [{ address: '93.184.216.34', family: 4 }, { address: '::1', family: 6 }]);
    const lookup = publicOnlyLookup(dns.resolve);
    expect((await ask(lookup, false)).error).toBeNull();
    const second = await ask(lookup, false);
    expect(second.error?.message).toMatch(/^refused: hooks\.example\.test resolves to the private or reserved address 10\.0\.0\.7/);
    const third = await ask(lookup, true);
    expect(third.error?.message).toMatch(/private or reserved address ::1/);
  });
});
