import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, type TestApp, type TestDatabase } from '@fusioncommerce/platform/testing';
import { createGroupCommerceService } from '../src/service.ts';
import { applyProduct } from '../src/store/variant-replica.ts';
import { groupDeps } from '../src/use-cases/deps.ts';
import { fireDueDeadlines } from '../src/use-cases/settle-group.ts';

const ADDRESS = { name: 'Ada Shopper', line1: '1 Market Street', city: 'Springfield', postalCode: '12345', country: 'US' };
const seat = (quantity = 1) => ({ quantity, shippingAddress: ADDRESS, payment: { method: '4242424242424242' } });
const PROBLEM = 'application/problem+json';

describe('group-commerce API (PGlite)', () => {
  let db: TestDatabase;
  let t: TestApp;
  let admin: { authorization: string };
  // A clock the test moves: deadlines are compared with it.
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);

  async function variant(published = true): Promise<string> {
    const id = randomUUID();
    await db.knex.transaction((trx) =>
      applyProduct(trx, {
        id: randomUUID(),
        slug: `tee-${id}`,
        title: 'Group Tee',
        status: published ? 'published' : 'draft',
        version: 1,
        variants: [{ id, sku: `GT-${id.slice(0, 8)}`, title: 'M', price: { amount: 2000, currency: 'USD' } }],
      }),
    );
    return id;
  }

  async function deal(overrides: Record<string, unknown> = {}): Promise<{ id: string; variantId: string }> {
    const variantId = (overrides.variantId as string | undefined) ?? (await variant());
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/group-deals',
      headers: admin,
      payload: {
        variantId,
        tiers: [
          { minParticipants: 1, unitPrice: { amount: 2000, currency: 'USD' } },
          { minParticipants: 3, unitPrice: { amount: 1800, currency: 'USD' } },
          { minParticipants: 5, unitPrice: { amount: 1500, currency: 'USD' } },
        ],
        minGroupSize: 3,
        maxGroupSize: 5,
        groupWindowSeconds: 3600,
        perCustomerLimit: 2,
        endsAt: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(),
        ...overrides,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { id: res.json().id as string, variantId };
  }

  const SMALL = {
    maxGroupSize: 3,
    tiers: [
      { minParticipants: 1, unitPrice: { amount: 2000, currency: 'USD' } },
      { minParticipants: 3, unitPrice: { amount: 1800, currency: 'USD' } },
    ],
  };
  const start = async (dealId: string, who: { authorization: string }, quantity = 1) =>
    t.app.inject({ method: 'POST', url: '/v1/groups', headers: who, payload: { dealId, ...seat(quantity) } });
  const join = async (code: string, who: { authorization: string }, quantity = 1, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: `/v1/groups/${code}/join`, headers: { ...who, ...headers }, payload: seat(quantity) });

  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    t = await buildTestApp([createGroupCommerceService({ settings: { deadlinePollMs: 0, shareBaseUrl: 'https://shop.example' }, now })], db);
    admin = await t.as('admin');
  });
  afterAll(async () => {
    await t?.close();
    await db?.close();
  });

  it('when a deal is invalid, then the answer is a 400 problem naming each offending field', async () => {
    const variantId = await variant();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/group-deals',
      headers: admin,
      payload: {
        variantId,
        tiers: [
          { minParticipants: 1, unitPrice: { amount: 1000, currency: 'USD' } },
          { minParticipants: 3, unitPrice: { amount: 1100, currency: 'EUR' } },
        ],
        minGroupSize: 2,
        maxGroupSize: 2,
        groupWindowSeconds: 60,
        perCustomerLimit: 1,
        endsAt: new Date(Date.now() - 1000).toISOString(),
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain(PROBLEM);
    const pointers = (res.json().errors as { pointer: string }[]).map((e) => e.pointer);
    expect(pointers).toEqual(
      expect.arrayContaining(['/body/tiers/1/unitPrice/amount', '/body/tiers/1/minParticipants', '/body/tiers/1/unitPrice/currency', '/body/endsAt']),
    );

    const schema = await t.app.inject({ method: 'POST', url: '/v1/group-deals', headers: admin, payload: { variantId: 'nope', tiers: [], minGroupSize: 0 } });
    expect(schema.statusCode).toBe(400);
    expect(schema.headers['content-type']).toContain(PROBLEM);
    expect(schema.json().errors.length).toBeGreaterThan(0);

    const draft = await t.app.inject({
      method: 'POST',
      url: '/v1/group-deals',
      headers: admin,
      payload: { variantId: await variant(false), tiers: [{ minParticipants: 1, unitPrice: { amount: 1, currency: 'USD' } }], minGroupSize: 2, groupWindowSeconds: 60, perCustomerLimit: 1, endsAt: new Date(Date.now() + 60_000).toISOString() },
    });
    expect(draft.statusCode).toBe(400);
    expect(draft.json().code ?? draft.json().type).toMatch(/VARIANT_UNAVAILABLE|variant/i);
  });

  it('when a deal is created, then shoppers find it by variant with its tier ladder and authorized price, until it is archived', async () => {
    const d = await deal();
    const list = await t.app.inject({ url: `/v1/group-deals?variantId=${d.variantId}` });
    expect(list.statusCode).toBe(200);
    const [shown] = list.json().data;
    expect(shown).toMatchObject({
      id: d.id,
      state: 'live',
      minGroupSize: 3,
      maxGroupSize: 5,
      authorizedUnitPrice: { amount: 1800, currency: 'USD' },
      tiers: [{ minParticipants: 1 }, { minParticipants: 3 }, { minParticipants: 5 }],
      groups: { open: 0, succeeded: 0, failed: 0 },
    });
    const archived = await t.app.inject({ method: 'POST', url: `/v1/group-deals/${d.id}/archive`, headers: admin });
    expect(archived.json()).toMatchObject({ status: 'archived', state: 'archived' });
    expect((await t.app.inject({ method: 'POST', url: `/v1/group-deals/${d.id}/archive`, headers: admin })).statusCode).toBe(409);
    expect((await t.app.inject({ url: `/v1/group-deals/${d.id}` })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/v1/group-deals?variantId=${d.variantId}` })).json().data).toEqual([]);
    expect((await t.app.inject({ url: `/v1/group-deals?variantId=${d.variantId}&state=archived`, headers: admin })).json().data).toHaveLength(1);
    const shopper = await t.as('customer');
    expect((await start(d.id, shopper)).statusCode).toBe(409);
  });

  it('when a shopper starts a group, then it gets a share code and link, a pending seat, and the deal counts the open group', async () => {
    const d = await deal();
    const leader = await t.as('customer');
    const res = await start(d.id, leader, 2);
    expect(res.statusCode, res.body).toBe(201);
    const { group, participation } = res.json();
    expect(group.shareCode).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    expect(group.shareUrl).toBe(`https://shop.example/groups/${group.shareCode}`);
    expect(group).toMatchObject({ status: 'open', seats: 1, members: 0, membersNeeded: 3, seatsLeft: 4, nextTier: { minParticipants: 1 } });
    expect(participation).toMatchObject({ status: 'pending', quantity: 2, authorizedAmount: { amount: 3600, currency: 'USD' }, stock: 'requested', payment: 'none' });
    const byCode = await t.app.inject({ url: `/v1/groups/${group.shareCode}` });
    expect(byCode.json()).toMatchObject({ id: group.id, dealId: d.id });
    expect((await t.app.inject({ url: `/v1/group-deals/${d.id}` })).json().groups.open).toBe(1);
    expect((await t.app.inject({ url: `/v1/group-deals/${d.id}/groups` })).json().data.map((g: { id: string }) => g.id)).toEqual([group.id]);
    const events = await db.knex('group_commerce.outbox').whereIn('subject', [group.id, participation.id]).orderBy('position').pluck('type');
    expect(events).toEqual(['group-commerce.group.started', 'group-commerce.participation.joined']);
    // The card number is never in the joined event, only handed to payments once stock is held.
    expect(JSON.stringify(await db.knex('group_commerce.outbox').where({ subject: participation.id }))).not.toContain('4242424242424242');
  });

  it('when shoppers join, then each seat is checked: one per customer, the maximum, the per-customer limit, guests refused', async () => {
    const d = await deal(SMALL);
    const leader = await t.as('customer');
    const { group } = (await start(d.id, leader)).json();
    const second = await t.as('customer');
    expect((await join(group.shareCode, second)).statusCode).toBe(201);
    const again = await join(group.shareCode, second);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'GROUPS.ALREADY_JOINED' });
    const third = await t.as('customer');
    const tooMany = await join(group.shareCode, third, 3);
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json()).toMatchObject({ code: 'GROUPS.PER_CUSTOMER_LIMIT', limit: 2 });
    expect((await join(group.shareCode, third, 2)).statusCode).toBe(201);
    const full = await join(group.shareCode, await t.as('customer'));
    expect(full.statusCode).toBe(409);
    expect(full.json()).toMatchObject({ code: 'GROUPS.GROUP_FULL', currentState: 'open' });
    expect((await t.app.inject({ method: 'POST', url: `/v1/groups/${group.shareCode}/join`, payload: seat() })).statusCode).toBe(401);
    expect((await join('ZZZZZZZZ', third)).statusCode).toBe(404);
    const bad = await t.app.inject({ method: 'POST', url: `/v1/groups/${group.shareCode}/join`, headers: third, payload: { quantity: 0, payment: {} } });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain(PROBLEM);
    // The limit spans the deal's groups: the third shopper holds 2 units already.
    const other = (await start(d.id, await t.as('customer'))).json().group;
    expect((await join(other.shareCode, third)).json()).toMatchObject({ code: 'GROUPS.PER_CUSTOMER_LIMIT', held: 2 });
  });

  it('when a join is retried with the same Idempotency-Key, then the first seat is answered again', async () => {
    const d = await deal();
    const { group } = (await start(d.id, await t.as('customer'))).json();
    const shopper = await t.as('customer');
    const key = `join-${randomUUID()}`;
    const first = await join(group.shareCode, shopper, 1, { 'idempotency-key': key });
    const second = await join(group.shareCode, shopper, 1, { 'idempotency-key': key });
    expect([first.statusCode, second.statusCode]).toEqual([201, 200]);
    expect(second.json().participation.id).toBe(first.json().participation.id);
    expect((await join(group.shareCode, shopper, 2, { 'idempotency-key': key })).statusCode).toBe(422);
  });

  it('when a shopper leaves, then the seat is freed and leaving again is a 409; others see 404', async () => {
    const d = await deal(SMALL);
    const leader = await t.as('customer');
    const { group } = (await start(d.id, leader)).json();
    const shopper = await t.as('customer');
    const { participation } = (await join(group.shareCode, shopper)).json();
    const stranger = await t.as('customer');
    expect((await t.app.inject({ url: `/v1/groups/participations/${participation.id}`, headers: stranger })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/v1/groups/participations/${participation.id}/leave`, headers: stranger })).statusCode).toBe(404);
    const mine = await t.app.inject({ url: '/v1/groups/participations', headers: shopper });
    expect(mine.json().data.map((p: { id: string }) => p.id)).toEqual([participation.id]);
    expect((await t.app.inject({ url: '/v1/groups/participations', headers: stranger })).json().data).toEqual([]);

    const left = await t.app.inject({ method: 'POST', url: `/v1/groups/participations/${participation.id}/leave`, headers: shopper });
    expect(left.statusCode).toBe(200);
    expect(left.json()).toMatchObject({ status: 'left', reason: 'left_by_customer' });
    const twice = await t.app.inject({ method: 'POST', url: `/v1/groups/participations/${participation.id}/leave`, headers: shopper });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'GROUPS.ILLEGAL_TRANSITION', currentState: 'left' });
    expect((await t.app.inject({ url: `/v1/groups/${group.shareCode}` })).json()).toMatchObject({ seats: 1 });
    const [leftEvent] = await db.knex('group_commerce.outbox').where({ subject: participation.id, type: 'group-commerce.participation.left' });
    expect(typeof leftEvent.data === 'string' ? JSON.parse(leftEvent.data) : leftEvent.data).toMatchObject({ releaseStock: true, voidPayment: false });
    // The seat can be taken again, by them too.
    expect((await join(group.shareCode, shopper)).statusCode).toBe(201);
  });

  it('when the deadline passes, then the group settles once and takes no more joins or leaves', async () => {
    const d = await deal({ groupWindowSeconds: 60 });
    const leader = await t.as('customer');
    const { group, participation } = (await start(d.id, leader)).json();
    offsetMs = 61_000;
    try {
      const late = await join(group.shareCode, await t.as('customer'));
      expect(late.statusCode).toBe(409);
      expect(late.json()).toMatchObject({ code: 'GROUPS.GROUP_NOT_OPEN', currentState: 'closing' });
      const deps = groupDeps(db.knex, { deadlinePollMs: 0 }, now);
      expect(await fireDueDeadlines(deps)).toBeGreaterThanOrEqual(1);
      expect(await fireDueDeadlines(deps)).toBe(0);
      const settled = (await t.app.inject({ url: `/v1/groups/${group.shareCode}` })).json();
      expect(settled).toMatchObject({ status: 'failed', closeReason: 'deadline', members: 0 });
      // Its only seat never got stock and payment: it fails as closed, and inventory is told to let go.
      expect((await t.app.inject({ url: `/v1/groups/participations/${participation.id}`, headers: leader })).json()).toMatchObject({
        status: 'failed',
        reason: 'group_closed',
      });
      const leave = await t.app.inject({ method: 'POST', url: `/v1/groups/participations/${participation.id}/leave`, headers: leader });
      expect(leave.statusCode).toBe(409);
      expect((await join(group.shareCode, await t.as('customer'))).json()).toMatchObject({ code: 'GROUPS.GROUP_NOT_OPEN', currentState: 'failed' });
      expect(await db.knex('group_commerce.outbox').where({ subject: group.id, type: 'group-commerce.group.failed' })).toHaveLength(1);
    } finally {
      offsetMs = 0;
    }
  });

  it('when the OpenAPI document is asked for, then it describes the group-buying routes', async () => {
    const res = await t.app.inject({ url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toEqual(expect.arrayContaining(['/v1/group-deals', '/v1/groups', '/v1/groups/{code}/join', '/v1/groups/participations/{id}/leave']));
  });

  it('when admins list groups, then they see them all; shoppers cannot', async () => {
    expect((await t.app.inject({ url: '/v1/groups', headers: admin })).json().data.length).toBeGreaterThan(0);
    expect((await t.app.inject({ url: '/v1/groups', headers: await t.as('customer') })).statusCode).toBe(403);
  });
});
