import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { FAST, webhooksTest, type WebhooksTest } from './factories.ts';

const hook = (over: Record<string, unknown> = {}) => ({ url: `https://hooks.example.com/${randomUUID().slice(0, 8)}`, eventTypes: ['orders.*'], ...over });

describe.each(BACKENDS)('webhook subscriptions on %s', (backend) => {
  let s: WebhooksTest;
  beforeAll(async () => {
    // No worker: these tests look at subscriptions only.
    s = await webhooksTest(backend, { ...FAST, deliveryPollMs: 0 });
  });
  afterAll(async () => s?.close());

  const create = async (body: Record<string, unknown>) => {
    const res = await s.t.app.inject({ method: 'POST', url: '/v1/webhook-subscriptions', headers: s.admin, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const count = async () => Number(((await s.deps.knex('webhooks.subscriptions').count({ n: '*' })) as { n: number | string }[])[0]?.n);

  it('when an admin subscribes a URL, then the secret is shown once and never again, and the subscription is listed, read and versioned', async () => {
    const created = await create(hook({ eventTypes: ['orders.order.confirmed', 'inventory.*'], description: 'Order mails' }));
    expect(created).toMatchObject({ active: true, version: 1, eventTypes: ['orders.order.confirmed', 'inventory.*'], description: 'Order mails', secretRotatedAt: null });
    expect(created.secret).toMatch(/^whsec_/);

    const read = await s.t.app.inject({ url: `/v1/webhook-subscriptions/${created.id}`, headers: s.admin });
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.json()).not.toHaveProperty('secret');
    expect(read.body).not.toContain(created.secret);

    const list = await s.t.app.inject({ url: '/v1/webhook-subscriptions?limit=100', headers: s.admin });
    expect(list.json().data.map((x: { id: string }) => x.id)).toContain(created.id);
    expect(list.body).not.toContain('whsec_');
    const inactive = await s.t.app.inject({ url: '/v1/webhook-subscriptions?active=false&limit=100', headers: s.admin });
    expect(inactive.json().data.map((x: { id: string }) => x.id)).not.toContain(created.id);
  });

  it('when there are more subscriptions than a page, then the cursor walks them newest first without repeats', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create(hook({ active: false, description: `page ${i}` }))).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await s.t.app.inject({ url: `/v1/webhook-subscriptions?active=false&limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: s.admin });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { data: { id: string }[]; nextCursor: string | null };
      seen.push(...page.data.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.filter((id) => ids.includes(id))).toEqual([...ids].reverse());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('when an admin edits with the version read, then the change applies; a stale or missing version changes nothing', async () => {
    const created = await create(hook());
    const edited = await s.t.app.inject({
      method: 'PATCH',
      url: `/v1/webhook-subscriptions/${created.id}`,
      headers: { ...s.admin, 'if-match': '"1"' },
      payload: { eventTypes: ['orders.order.confirmed'], active: false, description: null },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.headers.etag).toBe('"2"');
    expect(edited.json()).toMatchObject({ version: 2, active: false, eventTypes: ['orders.order.confirmed'], description: null });

    const staleHeader = await s.t.app.inject({ method: 'PATCH', url: `/v1/webhook-subscriptions/${created.id}`, headers: { ...s.admin, 'if-match': '"1"' }, payload: { active: true } });
    expect(staleHeader.statusCode).toBe(412);
    expect(staleHeader.headers['content-type']).toContain('application/problem+json');
    const staleBody = await s.t.app.inject({ method: 'PATCH', url: `/v1/webhook-subscriptions/${created.id}`, headers: s.admin, payload: { active: true, version: 1 } });
    expect(staleBody.statusCode).toBe(409);
    expect(staleBody.json()).toMatchObject({ code: 'WEBHOOKS.VERSION_CONFLICT', currentVersion: 2 });
    const blind = await s.t.app.inject({ method: 'PATCH', url: `/v1/webhook-subscriptions/${created.id}`, headers: s.admin, payload: { active: true } });
    expect(blind.statusCode).toBe(428);
    expect((await s.t.app.inject({ url: `/v1/webhook-subscriptions/${created.id}`, headers: s.admin })).json()).toMatchObject({ version: 2, active: false });
  });

  it('when an admin rotates the secret, then a new one is shown once and the old one keeps signing for the grace period', async () => {
    const created = await create(hook());
    const rotated = await s.t.app.inject({ method: 'POST', url: `/v1/webhook-subscriptions/${created.id}/rotate-secret`, headers: s.admin, payload: { keepPreviousSecretSeconds: 3600 } });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const body = rotated.json();
    expect(body.secret).toMatch(/^whsec_/);
    expect(body.secret).not.toBe(created.secret);
    expect(body).toMatchObject({ version: 2 });
    expect(Date.parse(body.previousSecretExpiresAt) - Date.parse(body.secretRotatedAt)).toBe(3_600_000);
    const row = await s.deps.subscriptions.get(created.id);
    expect([row?.secret, row?.previousSecret]).toEqual([body.secret, created.secret]);

    const again = await s.t.app.inject({ method: 'POST', url: `/v1/webhook-subscriptions/${created.id}/rotate-secret`, headers: s.admin, payload: { keepPreviousSecretSeconds: 0 } });
    expect(again.json()).toMatchObject({ previousSecretExpiresAt: null, version: 3 });
    expect((await s.deps.subscriptions.get(created.id))?.previousSecret).toBeNull();
  });

  it('when an admin deletes a subscription, then it is gone with its deliveries; a stale If-Match deletes nothing', async () => {
    const created = await create(hook());
    const stale = await s.t.app.inject({ method: 'DELETE', url: `/v1/webhook-subscriptions/${created.id}`, headers: { ...s.admin, 'if-match': '"7"' } });
    expect(stale.statusCode).toBe(412);
    const deleted = await s.t.app.inject({ method: 'DELETE', url: `/v1/webhook-subscriptions/${created.id}`, headers: s.admin });
    expect(deleted.statusCode).toBe(204);
    expect((await s.t.app.inject({ url: `/v1/webhook-subscriptions/${created.id}`, headers: s.admin })).statusCode).toBe(404);
    const again = await s.t.app.inject({ method: 'DELETE', url: `/v1/webhook-subscriptions/${created.id}`, headers: s.admin });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'WEBHOOKS.SUBSCRIPTION_NOT_FOUND' });
  });

  it('when the input is bad, then the answer is a clear 4xx problem naming the field, and nothing is created or changed', async () => {
    const before = await count();
    const bad: [Record<string, unknown>, string, string][] = [
      [hook({ url: 'ftp://files.example.com/drop' }), '/body/url', 'REQUEST.VALIDATION_FAILED'],
      [hook({ url: 'mailto:ops@example.com' }), '/body/url', 'REQUEST.VALIDATION_FAILED'],
      [hook({ url: 'https://user:secret@example.com/hook' }), '/body/url', 'WEBHOOKS.INVALID_URL'],
      [hook({ eventTypes: [] }), '/body/eventTypes', 'REQUEST.VALIDATION_FAILED'],
      [hook({ eventTypes: ['Orders.Order.Confirmed'] }), '/body/eventTypes/0', 'REQUEST.VALIDATION_FAILED'],
      [hook({ eventTypes: ['orders.order.shipped'] }), '/body/eventTypes/0', 'WEBHOOKS.UNKNOWN_EVENT_TYPE'],
      [hook({ eventTypes: ['orders.*', 'orders.*'] }), '/body/eventTypes/1', 'WEBHOOKS.UNKNOWN_EVENT_TYPE'],
      [hook({ description: '' }), '/body/description', 'REQUEST.VALIDATION_FAILED'],
      [hook({ secret: 'whsec_mine' }), '/body/secret', 'REQUEST.VALIDATION_FAILED'],
      [hook({ surprise: true }), '/body/surprise', 'REQUEST.VALIDATION_FAILED'],
      [{ eventTypes: ['*'] }, '/body/url', 'REQUEST.VALIDATION_FAILED'],
    ];
    for (const [body, pointer, code] of bad) {
      const res = await s.t.app.inject({ method: 'POST', url: '/v1/webhook-subscriptions', headers: s.admin, payload: body });
      expect(res.statusCode, `${JSON.stringify(body)} → ${res.body}`).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code, res.body).toBe(code);
      expect(JSON.stringify(res.json().errors ?? []), res.body).toContain(pointer);
    }
    expect(await count()).toBe(before);

    const created = await create(hook());
    const patches: Record<string, unknown>[] = [{ url: 'gopher://x.example.com/', version: 1 }, { eventTypes: ['nope.*'], version: 1 }, { version: 1 }, {}, { active: 'yes', version: 1 }];
    for (const payload of patches) {
      const res = await s.t.app.inject({ method: 'PATCH', url: `/v1/webhook-subscriptions/${created.id}`, headers: s.admin, payload });
      expect(res.statusCode, `${JSON.stringify(payload)} → ${res.body}`).toBe(400);
    }
    expect((await s.deps.subscriptions.get(created.id))?.version).toBe(1);

    for (const url of ['/v1/webhook-subscriptions/not-a-uuid', '/v1/webhook-subscriptions/not-a-uuid/deliveries', '/v1/webhook-deliveries/42']) {
      const res = await s.t.app.inject({ url, headers: s.admin });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code).toBe('REQUEST.VALIDATION_FAILED');
    }
    for (const url of [`/v1/webhook-subscriptions/${randomUUID()}`, `/v1/webhook-subscriptions/${randomUUID()}/deliveries`, `/v1/webhook-deliveries/${randomUUID()}`]) {
      expect((await s.t.app.inject({ url, headers: s.admin })).statusCode, url).toBe(404);
    }
    const tampered = Buffer.from(JSON.stringify(['id_desc', null, "x' or 1=1"])).toString('base64url');
    for (const cursor of ['garbage', tampered]) {
      const res = await s.t.app.inject({ url: `/v1/webhook-subscriptions?cursor=${cursor}`, headers: s.admin });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().code).toBe('REQUEST.INVALID_CURSOR');
    }
    const rotate = await s.t.app.inject({ method: 'POST', url: `/v1/webhook-subscriptions/${created.id}/rotate-secret`, headers: s.admin, payload: { keepPreviousSecretSeconds: -1 } });
    expect(rotate.statusCode).toBe(400);
    expect((await s.deps.subscriptions.get(created.id))?.secretRotatedAt).toBeNull();
  });

  it('when private receivers are not allowed, then a loopback or private URL is refused with a clear reason', async () => {
    const strict = await webhooksTest(backend, { ...FAST, deliveryPollMs: 0, allowPrivateUrls: false });
    try {
      for (const url of ['http://127.0.0.1:5678/webhook/x', 'http://localhost:5678/webhook/x', 'http://169.254.169.254/latest', 'http://[::1]/x']) {
        const res = await strict.t.app.inject({ method: 'POST', url: '/v1/webhook-subscriptions', headers: strict.admin, payload: hook({ url }) });
        expect(res.statusCode, url).toBe(400);
        expect(res.json()).toMatchObject({ code: 'WEBHOOKS.URL_NOT_ALLOWED', errors: [{ pointer: '/body/url' }] });
      }
      const publicUrl = await strict.t.app.inject({ method: 'POST', url: '/v1/webhook-subscriptions', headers: strict.admin, payload: hook() });
      expect(publicUrl.statusCode).toBe(201);
    } finally {
      await strict.close();
    }
  });

  it('when the API document is read, then every webhook route is in it, behind a bearer token', async () => {
    const doc = (await s.t.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    for (const [path, method] of [
      ['/v1/webhook-subscriptions', 'post'],
      ['/v1/webhook-subscriptions/{id}', 'patch'],
      ['/v1/webhook-subscriptions/{id}/rotate-secret', 'post'],
      ['/v1/webhook-subscriptions/{id}/test', 'post'],
      ['/v1/webhook-subscriptions/{id}/deliveries', 'get'],
      ['/v1/webhook-deliveries/{id}', 'get'],
      ['/v1/webhook-deliveries/{id}/replay', 'post'],
    ] as const) {
      expect(doc.paths[path]?.[method]?.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
    }
  });

  it('when someone other than an admin calls, then every webhook route answers 401 or 403 and changes nothing', async () => {
    const created = await create(hook());
    const customer = await s.t.as('customer');
    const routes: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: unknown }[] = [
      { method: 'POST', url: '/v1/webhook-subscriptions', payload: hook() },
      { method: 'GET', url: '/v1/webhook-subscriptions' },
      { method: 'GET', url: `/v1/webhook-subscriptions/${created.id}` },
      { method: 'PATCH', url: `/v1/webhook-subscriptions/${created.id}`, payload: { active: false, version: 1 } },
      { method: 'DELETE', url: `/v1/webhook-subscriptions/${created.id}` },
      { method: 'POST', url: `/v1/webhook-subscriptions/${created.id}/rotate-secret`, payload: {} },
      { method: 'POST', url: `/v1/webhook-subscriptions/${created.id}/test`, payload: {} },
      { method: 'GET', url: `/v1/webhook-subscriptions/${created.id}/deliveries` },
      { method: 'GET', url: `/v1/webhook-deliveries/${randomUUID()}` },
      { method: 'POST', url: `/v1/webhook-deliveries/${randomUUID()}/replay`, payload: {} },
    ];
    for (const route of routes) {
      for (const [headers, status] of [[{}, 401], [customer, 403]] as const) {
        const res = await s.t.app.inject({ method: route.method, url: route.url, headers, ...(route.payload ? { payload: route.payload } : {}) });
        expect(res.statusCode, `${route.method} ${route.url}`).toBe(status);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    }
    const after = await s.deps.subscriptions.get(created.id);
    expect(after).toMatchObject({ version: 1, active: true, secret: created.secret });
  });
});
