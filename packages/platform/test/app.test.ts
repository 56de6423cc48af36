import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { AppError, createApp, createTokenService, MissingPolicyError, parseKeyring } from '../src/index.ts';

const keyring = 'new:new-signing-key-0123456789abcdef0123456789,old:old-signing-key-0123456789abcdef01234567890';
const tokens = createTokenService(parseKeyring(keyring));

describe('the app factory', () => {
  let app: FastifyInstance;
  let failing = false;

  beforeAll(async () => {
    app = await createApp({ service: 'probe', logger: false, tokens, version: '1.2.3', commit: 'abc123' });
    app.readiness.add('dependency', async () => {
      if (failing) throw new Error('dependency is down');
    });
    app.get('/v1/open', { config: { auth: 'public' } }, async (request) => ({ principal: request.principal }));
    app.get('/v1/things/:id', { config: { auth: 'public' } }, async (request) => ({ id: (request.params as { id: string }).id }));
    app.get('/v1/mine', { config: { auth: 'customer' } }, async (request) => ({ principal: request.principal }));
    app.get('/v1/admin-only', { config: { auth: 'admin' } }, async () => ({ ok: true }));
    app.get('/v1/teapot', { config: { auth: 'public' } }, async () => {
      throw new AppError('PROBE.SHORT_AND_STOUT', 'conflict', 'I am a teapot.', { extensions: { currentState: 'brewing' } });
    });
    app.get('/v1/bug', { config: { auth: 'public' } }, async () => {
      throw new Error('secret internals: password=hunter2');
    });
    app.post(
      '/v1/echo',
      { config: { auth: 'public' }, schema: { body: Type.Object({ n: Type.Integer() }, { additionalProperties: false }), querystring: Type.Object({ page: Type.Optional(Type.Integer()) }) } },
      async (request) => ({ body: request.body, query: request.query }),
    );
    await app.ready();
    app.readiness.markStarted();
  });
  afterAll(async () => app.close());

  it('when a domain error is thrown, then it becomes a problem+json with its stable code and extensions', async () => {
    const res = await app.inject('/v1/teapot');
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.json()).toMatchObject({
      type: 'https://fusioncommerce.dev/problems/probe.short-and-stout',
      title: 'Conflict',
      status: 409,
      detail: 'I am a teapot.',
      code: 'PROBE.SHORT_AND_STOUT',
      currentState: 'brewing',
      instance: '/v1/teapot',
    });
  });

  it('when something unexpected breaks, then the client gets a 500 that shows nothing of it', async () => {
    const res = await app.inject('/v1/bug');
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('hunter2');
    expect(res.json()).toMatchObject({ code: 'INTERNAL', requestId: res.headers['x-request-id'] });
  });

  it('when the URL cannot be decoded or a path parameter is absurdly long, then the answer is a 400 problem like any other', async () => {
    const badUrl = await app.inject('/v1/open/%E0%A4%A');
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(badUrl.json()).toMatchObject({ code: 'REQUEST.BAD_URL', status: 400 });
    const long = await app.inject(`/v1/things/${'x'.repeat(300)}`);
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ code: 'REQUEST.PARAMETER_TOO_LONG' });
    expect((await app.inject('/v1/things/short')).json()).toEqual({ id: 'short' });
  });

  it('when the body is strict JSON and the query string is text, then only the query string is coerced', async () => {
    expect((await app.inject({ method: 'POST', url: '/v1/echo?page=2', payload: { n: 1 } })).json()).toEqual({ body: { n: 1 }, query: { page: 2 } });
    const coerced = await app.inject({ method: 'POST', url: '/v1/echo', payload: { n: '1' } });
    expect(coerced.statusCode).toBe(400);
    expect(coerced.json().errors).toEqual([{ pointer: '/body/n', message: 'must be integer' }]);
  });

  it('when a caller sends a request id, then it is echoed; a hostile one is replaced', async () => {
    expect((await app.inject({ url: '/health', headers: { 'x-request-id': 'abc-123' } })).headers['x-request-id']).toBe('abc-123');
    const replaced = (await app.inject({ url: '/health', headers: { 'x-request-id': 'bad id\nwith newline' } })).headers['x-request-id'];
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when any response goes out, then it carries security headers', async () => {
    const res = await app.inject('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-frame-options']).toBeDefined();
  });

  it('when routes are guarded, then anonymous is 401, the wrong role 403, and a valid token passes', async () => {
    const customer = `Bearer ${await tokens.sign({ id: 'c1', role: 'customer', email: 'c@example.test' })}`;
    const admin = `Bearer ${await tokens.sign({ id: 'a1', role: 'admin', email: 'a@example.test' })}`;
    expect((await app.inject('/v1/mine')).statusCode).toBe(401);
    expect((await app.inject({ url: '/v1/mine', headers: { authorization: customer } })).json()).toMatchObject({ principal: { type: 'user', id: 'c1', role: 'customer' } });
    expect((await app.inject({ url: '/v1/admin-only', headers: { authorization: customer } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/v1/admin-only', headers: { authorization: admin } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/v1/mine', headers: { authorization: 'Basic abc' } })).statusCode).toBe(401);
  });

  it('when a token is expired, tampered, of an unknown or removed key, then protected routes refuse it and public ones ignore it', async () => {
    const expired = await tokens.sign({ id: 'c1', role: 'customer', email: 'c@example.test' }, -10);
    const valid = await tokens.sign({ id: 'c1', role: 'customer', email: 'c@example.test' });
    const [h, p, s] = valid.split('.');
    const claims = JSON.parse(Buffer.from(p as string, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${s}`;
    const oldKeyOnly = createTokenService(parseKeyring('old:old-signing-key-0123456789abcdef01234567890'));
    const signedWithOld = await oldKeyOnly.sign({ id: 'c1', role: 'customer', email: 'c@example.test' });
    const afterRevoking = createTokenService(parseKeyring('new:new-signing-key-0123456789abcdef0123456789'));

    for (const token of [expired, tampered, 'not.a.jwt']) {
      const res = await app.inject({ url: '/v1/mine', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('AUTH.INVALID_TOKEN');
    }
    expect((await app.inject({ url: '/v1/admin-only', headers: { authorization: `Bearer ${tampered}` } })).statusCode).toBe(401);
    // The old key still verifies while it is in the keyring, and stops the moment it is removed.
    await expect(tokens.verify(signedWithOld)).resolves.toMatchObject({ id: 'c1' });
    await expect(afterRevoking.verify(signedWithOld)).rejects.toMatchObject({ code: 'AUTH.INVALID_TOKEN' });
    expect((await app.inject({ url: '/v1/open', headers: { authorization: `Bearer ${expired}` } })).json()).toEqual({ principal: { type: 'anonymous' } });
  });

  it('when a /v1 route declares no auth policy, then it refuses to register', async () => {
    const other = await createApp({ service: 'probe', logger: false });
    expect(() => other.get('/v1/forgotten', async () => 'open?')).toThrow(MissingPolicyError);
    await other.close();
  });

  it('when probes ask, then health, startup, ready and info answer, and ready turns 503 while a dependency is down', async () => {
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/startup')).statusCode).toBe(200);
    expect((await app.inject('/info')).json()).toEqual({ service: 'probe', version: '1.2.3', commit: 'abc123', builtAt: 'unknown' });
    expect((await app.inject('/ready')).statusCode).toBe(200);
    failing = true;
    const down = await app.inject('/ready');
    failing = false;
    expect(down.statusCode).toBe(503);
    expect(down.json().checks.dependency).toEqual({ status: 'down', error: 'dependency is down' });
    expect((await app.inject('/health')).statusCode).toBe(200);
  });

  it('when requests are served, then /metrics has their latency by route and status, plus process metrics', async () => {
    await app.inject('/v1/teapot');
    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/v1\/teapot"[^}]*status_code="409"[^}]*\} \d+/);
    expect(metrics).toContain('process_resident_memory_bytes');
    expect(metrics).toContain('service="probe"');
  });

  it('when the OpenAPI document is read, then it is 3.1 with the routes and the bearer scheme on guarded ones', async () => {
    const doc = (await app.inject('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/v1/mine'].get.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/v1/open'].get.security).toBeUndefined();
    expect((await app.inject('/docs')).statusCode).toBeLessThan(400);
  });

  it('when a readiness check is informational, then /ready lists it down but stays ready', async () => {
    const other = await createApp({ service: 'probe', logger: false });
    other.readiness.add('neighbour', async () => {
      throw new Error('neighbour is down');
    }, { informational: true });
    await other.ready();
    other.readiness.markStarted();
    const ready = await other.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.neighbour).toEqual({ status: 'down', error: 'neighbour is down', informational: true });
    await other.close();
  });

  it('when a readiness check may be reused, then probes within its age share one run, and a later probe checks again', async () => {
    const other = await createApp({ service: 'probe', logger: false });
    let runs = 0;
    let down = false;
    other.readiness.add(
      'neighbour',
      async () => {
        runs += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (down) throw new Error('neighbour is down');
      },
      { informational: true, maxAgeMs: 200 },
    );
    await other.ready();
    other.readiness.markStarted();
    const statuses = async () => (await Promise.all([1, 2, 3].map(() => other.inject('/ready')))).map((r) => r.json().checks.neighbour.status);
    expect(await statuses()).toEqual(['up', 'up', 'up']);
    expect(await statuses()).toEqual(['up', 'up', 'up']);
    expect(runs).toBe(1);
    down = true;
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await statuses()).toEqual(['down', 'down', 'down']);
    expect(runs).toBe(2);
    await other.close();
  });

  it('when the app is given an OpenAPI document of its own, then /openapi.json and /docs serve it, asked for on each read', async () => {
    let reads = 0;
    const other = await createApp({ service: 'probe', logger: false, openapiDocument: async () => ({ openapi: '3.1.0', info: { title: `merged ${++reads}`, version: '1' }, paths: {} }) });
    expect((await other.inject('/openapi.json')).json().info.title).toBe('merged 1');
    expect((await other.inject('/docs/json')).json().info.title).toBe('merged 2');
    expect((await other.inject('/docs')).statusCode).toBeLessThan(400);
    await other.close();
  });
});
