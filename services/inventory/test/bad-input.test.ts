import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { encodeCursor } from '@fusioncommerce/platform';
import { api, inventoryTest, newSku, orderRef, type InventoryTest } from './factories.ts';

const TABLES = ['locations', 'items', 'stock_levels', 'reservations', 'reservation_lines', 'movements', 'outbox'];
const MISSING = '01900000-0000-7000-8000-000000000000';

describe.each(BACKENDS)('bad input to inventory on %s', (backend) => {
  let it_: InventoryTest;
  let admin: { authorization: string };
  let sku: string;
  let archivedId: string;
  const reserved = orderRef();

  const snapshot = async () => {
    const rows = await Promise.all(TABLES.map((table) => it_.t.db.knex(`inventory.${table}`).select('*').orderByRaw('1')));
    return JSON.stringify(rows);
  };

  beforeAll(async () => {
    it_ = await inventoryTest(backend, { maxTtlSeconds: 3600 });
    admin = it_.admin;
    const a = api(it_.t, admin);
    sku = await a.stocked(10);
    await a.reserve(reserved, [{ sku, quantity: 2 }]);
    const loc = await it_.t.app.inject({ method: 'POST', url: '/v1/inventory/locations', headers: admin, payload: { code: `old-${Date.now().toString(36)}`, name: 'Old' } });
    archivedId = loc.json().id;
    await it_.t.app.inject({ method: 'DELETE', url: `/v1/inventory/locations/${archivedId}`, headers: admin });
  });
  afterAll(async () => it_.close());

  const json = { 'content-type': 'application/json' };
  const reserve = (body: unknown): InjectOptions => ({ method: 'POST', url: '/v1/inventory/reservations', headers: admin, payload: body as Record<string, unknown> });
  const line = (overrides: Record<string, unknown> = {}) => ({ sku, quantity: 1, ...overrides });
  const order = () => orderRef();
  const receipt = (body: unknown, target = sku): InjectOptions => ({ method: 'POST', url: `/v1/inventory/items/${target}/receipts`, headers: admin, payload: body as Record<string, unknown> });
  const adjust = (body: unknown, target = sku): InjectOptions => ({ method: 'POST', url: `/v1/inventory/items/${target}/adjustments`, headers: admin, payload: body as Record<string, unknown> });
  const get = (url: string, auth = true): InjectOptions => ({ url, ...(auth ? { headers: admin } : {}) });

  const cases: { name: string; status: number; code?: string; request: () => InjectOptions }[] = [
    // Reservations
    { name: 'a negative quantity', status: 400, request: () => reserve({ reference: order(), lines: [line({ quantity: -1 })] }) },
    { name: 'a zero quantity', status: 400, request: () => reserve({ reference: order(), lines: [line({ quantity: 0 })] }) },
    { name: 'a float quantity', status: 400, request: () => reserve({ reference: order(), lines: [line({ quantity: 1.5 })] }) },
    { name: 'a quantity as text', status: 400, request: () => reserve({ reference: order(), lines: [line({ quantity: '1' })] }) },
    { name: 'an absurd quantity', status: 400, request: () => reserve({ reference: order(), lines: [line({ quantity: Number.MAX_SAFE_INTEGER })] }) },
    { name: 'an unknown SKU', status: 404, code: 'INVENTORY.SKU_NOT_FOUND', request: () => reserve({ reference: order(), lines: [line(), line({ sku: newSku() })] }) },
    { name: 'a malformed SKU', status: 400, request: () => reserve({ reference: order(), lines: [line({ sku: "x'; drop table inventory.items; --" })] }) },
    { name: 'a SKU with a NUL byte', status: 400, request: () => reserve({ reference: order(), lines: [line({ sku: 'A\u0000B' })] }) },
    { name: 'no lines', status: 400, request: () => reserve({ reference: order(), lines: [] }) },
    { name: 'too many lines', status: 400, request: () => reserve({ reference: order(), lines: Array.from({ length: 101 }, (_, i) => line({ sku: `S-${i}` })) }) },
    { name: 'a SKU twice', status: 400, code: 'INVENTORY.DUPLICATE_LINE', request: () => reserve({ reference: order(), lines: [line(), line({ quantity: 2 })] }) },
    { name: 'an unknown reference kind', status: 400, request: () => reserve({ reference: { kind: 'cart', id: 'x1' }, lines: [line()] }) },
    { name: 'a reference id with a slash', status: 400, request: () => reserve({ reference: { kind: 'order', id: '../etc' }, lines: [line()] }) },
    { name: 'no reference', status: 400, request: () => reserve({ lines: [line()] }) },
    { name: 'an unknown field', status: 400, request: () => reserve({ reference: order(), lines: [line()], priority: 'high' }) },
    { name: 'an unknown field in a line', status: 400, request: () => reserve({ reference: order(), lines: [line({ locationId: MISSING })] }) },
    { name: 'a zero TTL', status: 400, request: () => reserve({ reference: order(), lines: [line()], ttlSeconds: 0 }) },
    { name: 'a TTL beyond the maximum', status: 400, code: 'INVENTORY.TTL_TOO_LONG', request: () => reserve({ reference: order(), lines: [line()], ttlSeconds: 3601 }) },
    { name: 'a float TTL', status: 400, request: () => reserve({ reference: order(), lines: [line()], ttlSeconds: 1.5 }) },
    { name: 'the same reference with other lines', status: 409, code: 'INVENTORY.REFERENCE_REUSED', request: () => reserve({ reference: reserved, lines: [line({ quantity: 3 })] }) },
    { name: 'malformed JSON', status: 400, request: () => ({ method: 'POST', url: '/v1/inventory/reservations', headers: { ...admin, ...json }, payload: '{"reference":' }) },
    { name: 'a JSON array', status: 400, request: () => reserve([]) },
    { name: 'a non-JSON content type', status: 415, request: () => ({ method: 'POST', url: '/v1/inventory/reservations', headers: { ...admin, 'content-type': 'text/plain' }, payload: 'sku=x' }) },
    { name: 'an oversize body', status: 413, request: () => reserve({ reference: order(), lines: [line()], pad: 'x'.repeat(2 * 1024 * 1024) }) },
    { name: 'commit with an unknown kind', status: 400, request: () => ({ method: 'POST', url: '/v1/inventory/reservations/by-reference/cart/x1/commit', headers: admin }) },
    { name: 'release with an overlong id', status: 400, request: () => ({ method: 'POST', url: `/v1/inventory/reservations/by-reference/order/${'x'.repeat(150)}/release`, headers: admin }) },
    { name: 'restocking an unsold reservation', status: 409, code: 'INVENTORY.ILLEGAL_RESERVATION_TRANSITION', request: () => ({ method: 'POST', url: `/v1/inventory/reservations/by-reference/order/${reserved.id}/restock`, headers: admin }) },
    { name: 'a restock with an unknown field', status: 400, request: () => ({ method: 'POST', url: `/v1/inventory/reservations/by-reference/order/${reserved.id}/restock`, headers: admin, payload: { quantity: 5 } }) },
    { name: 'restocking an unknown reference', status: 404, request: () => ({ method: 'POST', url: `/v1/inventory/reservations/by-reference/order/${order().id}/restock`, headers: admin }) },
    { name: 'a reservation id that is not a uuid', status: 400, request: () => get('/v1/inventory/reservations/not-a-uuid') },
    { name: 'a missing reservation', status: 404, request: () => get(`/v1/inventory/reservations/${MISSING}`) },
    // Receipts and adjustments
    { name: 'a negative receipt', status: 400, request: () => receipt({ quantity: -5 }) },
    { name: 'a zero receipt', status: 400, request: () => receipt({ quantity: 0 }) },
    { name: 'a float receipt', status: 400, request: () => receipt({ quantity: 2.5 }) },
    { name: 'a receipt for an unknown SKU', status: 404, code: 'INVENTORY.SKU_NOT_FOUND', request: () => receipt({ quantity: 1 }, newSku()) },
    { name: 'a receipt at an unknown location', status: 404, code: 'INVENTORY.LOCATION_NOT_FOUND', request: () => receipt({ quantity: 1, locationId: MISSING }) },
    { name: 'a receipt at a malformed location', status: 400, request: () => receipt({ quantity: 1, locationId: 'warehouse' }) },
    { name: 'a receipt at an archived location', status: 409, code: 'INVENTORY.LOCATION_ARCHIVED', request: () => receipt({ quantity: 1, locationId: archivedId }) },
    { name: 'a reason with a NUL byte', status: 400, request: () => receipt({ quantity: 1, reason: 'PO\u00001' }) },
    { name: 'a blank reason', status: 400, request: () => adjust({ delta: 1, reason: '   ' }) },
    { name: 'a reason too long', status: 400, request: () => adjust({ delta: 1, reason: 'x'.repeat(501) }) },
    { name: 'an adjustment without a reason', status: 400, request: () => adjust({ delta: 1 }) },
    { name: 'both delta and onHand', status: 400, code: 'INVENTORY.ADJUSTMENT_AMOUNT', request: () => adjust({ delta: 1, onHand: 5, reason: 'x' }) },
    { name: 'neither delta nor onHand', status: 400, code: 'INVENTORY.ADJUSTMENT_AMOUNT', request: () => adjust({ reason: 'x' }) },
    { name: 'a zero delta', status: 400, code: 'INVENTORY.ZERO_DELTA', request: () => adjust({ delta: 0, reason: 'x' }) },
    { name: 'a float delta', status: 400, request: () => adjust({ delta: -0.5, reason: 'x' }) },
    { name: 'a negative count', status: 400, request: () => adjust({ onHand: -1, reason: 'x' }) },
    { name: 'a count below what is reserved', status: 409, code: 'INVENTORY.BELOW_RESERVED', request: () => adjust({ onHand: 1, reason: 'x' }) },
    { name: 'a write-off below zero', status: 409, code: 'INVENTORY.BELOW_RESERVED', request: () => adjust({ delta: -11, reason: 'x' }) },
    { name: 'an adjustment of an unknown SKU', status: 404, request: () => adjust({ delta: 1, reason: 'x' }, newSku()) },
    { name: 'a malformed SKU in the path', status: 400, request: () => receipt({ quantity: 1 }, '%00bad') },
    // Locations and items
    { name: 'a location code with spaces', status: 400, request: () => ({ method: 'POST', url: '/v1/inventory/locations', headers: admin, payload: { code: 'Main Store', name: 'x' } }) },
    { name: 'a blank location name', status: 400, request: () => ({ method: 'POST', url: '/v1/inventory/locations', headers: admin, payload: { code: 'blank-name', name: '' } }) },
    { name: 'a negative priority', status: 400, request: () => ({ method: 'POST', url: '/v1/inventory/locations', headers: admin, payload: { code: 'neg', name: 'x', priority: -1 } }) },
    { name: 'an empty location patch', status: 400, request: () => ({ method: 'PATCH', url: `/v1/inventory/locations/${archivedId}`, headers: admin, payload: {} }) },
    { name: 'isDefault false', status: 400, request: () => ({ method: 'PATCH', url: `/v1/inventory/locations/${archivedId}`, headers: admin, payload: { isDefault: false } }) },
    { name: 'making an archived location the default', status: 409, code: 'INVENTORY.LOCATION_ARCHIVED', request: () => ({ method: 'PATCH', url: `/v1/inventory/locations/${archivedId}`, headers: admin, payload: { isDefault: true } }) },
    { name: 'patching an unknown location', status: 404, request: () => ({ method: 'PATCH', url: `/v1/inventory/locations/${MISSING}`, headers: admin, payload: { name: 'x' } }) },
    { name: 'archiving an unknown location', status: 404, request: () => ({ method: 'DELETE', url: `/v1/inventory/locations/${MISSING}`, headers: admin }) },
    { name: 'tracking a SKU twice', status: 409, code: 'INVENTORY.SKU_EXISTS', request: () => ({ method: 'POST', url: '/v1/inventory/items', headers: admin, payload: { sku } }) },
    { name: 'tracking a malformed SKU', status: 400, request: () => ({ method: 'POST', url: '/v1/inventory/items', headers: admin, payload: { sku: 'has space' } }) },
    { name: 'a negative threshold', status: 400, request: () => ({ method: 'PATCH', url: `/v1/inventory/items/${sku}`, headers: admin, payload: { lowStockThreshold: -1 } }) },
    { name: 'a float threshold', status: 400, request: () => ({ method: 'PATCH', url: `/v1/inventory/items/${sku}`, headers: admin, payload: { lowStockThreshold: 2.5 } }) },
    { name: 'a threshold for an unknown SKU', status: 404, request: () => ({ method: 'PATCH', url: `/v1/inventory/items/${newSku()}`, headers: admin, payload: { lowStockThreshold: 1 } }) },
    // Lists and look-ups
    { name: 'a garbage cursor', status: 400, request: () => get('/v1/inventory/movements?cursor=not-a-cursor') },
    { name: 'a cursor from another list', status: 400, request: () => get(`/v1/inventory/movements?cursor=${encodeCursor({ sort: 'reservation', value: null, id: MISSING })}`) },
    { name: 'a tampered cursor id', status: 400, request: () => get(`/v1/inventory/reservations?cursor=${encodeCursor({ sort: 'reservation', value: null, id: 'x' })}`) },
    { name: 'a tampered level cursor', status: 400, request: () => get(`/v1/inventory/levels?cursor=${encodeCursor({ sort: 'level', value: 'A\u0000', id: MISSING })}`) },
    { name: 'a tampered SKU cursor', status: 400, request: () => get(`/v1/inventory/items?cursor=${encodeCursor({ sort: 'sku', value: null, id: "x' or 1=1" })}`) },
    { name: 'a zero limit', status: 400, request: () => get('/v1/inventory/items?limit=0') },
    { name: 'a huge limit', status: 400, request: () => get('/v1/inventory/items?limit=100000') },
    { name: 'a float limit', status: 400, request: () => get('/v1/inventory/levels?limit=2.5') },
    { name: 'an unknown query parameter', status: 400, request: () => get('/v1/inventory/items?admin=true') },
    { name: 'an unknown state', status: 400, request: () => get('/v1/inventory/items?state=plenty') },
    { name: 'levels of an unknown location', status: 404, request: () => get(`/v1/inventory/levels?locationId=${MISSING}`) },
    { name: 'an item that is not tracked', status: 404, request: () => get(`/v1/inventory/items/${newSku()}`) },
    { name: 'availability of too many SKUs', status: 400, request: () => get(`/v1/inventory/availability?skus=${Array.from({ length: 101 }, (_, i) => `S-${i}`).join(',')}`, false) },
    { name: 'availability of a malformed SKU', status: 400, request: () => get("/v1/inventory/availability?skus=a'b", false) },
    { name: 'availability of nothing', status: 400, request: () => get('/v1/inventory/availability?skus=', false) },
    { name: 'availability without SKUs', status: 400, request: () => get('/v1/inventory/availability', false) },
  ];

  it.each(cases)('when a request has $name, then it is a clear $status problem and nothing changes', async ({ status, code, request }) => {
    const before = await snapshot();
    const res = await it_.t.app.inject(request());
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = res.json() as { type: string; code: string; detail: string; status: number };
    expect(problem.status).toBe(status);
    expect(problem.type).toMatch(/^https:\/\/fusioncommerce\.dev\/problems\//);
    expect(problem.detail.length).toBeGreaterThan(0);
    if (code) expect(problem.code).toBe(code);
    expect(await snapshot()).toBe(before);
  });
});
