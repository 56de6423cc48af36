/** One attempt over real HTTP: what counts as an answer, what is refused before any request is made. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpSender } from '../src/sender/http-sender.ts';

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
});
