import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openGroupShop, type GroupShop } from './group-shop.ts';

describe('group buying under concurrent joins (PostgreSQL server)', () => {
  let shop: GroupShop;
  beforeAll(async () => {
    shop = await openGroupShop('postgres');
  }, 60_000);
  afterAll(async () => shop?.close());

  it('when 50 shoppers join a group with a maximum of 10 at once, then exactly 10 are members and it closes at once', async () => {
    const deal = await shop.deal({ stock: 100, tiers: [[1, 1000], [5, 900], [10, 700]], min: 5, max: 10, windowSeconds: 600 });
    const leader = await shop.customer();
    const started = await shop.start(deal.id, leader);
    expect(started.statusCode).toBe(201);
    const shoppers = await Promise.all(Array.from({ length: 50 }, () => shop.customer()));
    const answers = await Promise.all(shoppers.map((who) => shop.join(started.body.group.shareCode, who)));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(9);
    expect(codes.filter((c) => c === 409)).toHaveLength(41);
    const refused = answers.find((a) => a.statusCode === 409)?.body as { code?: string; type?: string };
    expect(JSON.stringify(refused)).toMatch(/GROUP_FULL|GROUP_NOT_OPEN/);

    // The tenth member's authorization closes the group at once, long before its deadline, at the best tier.
    const group = await eventually(async () => {
      const row = await shop.db.knex('group_commerce.groups').where({ id: started.body.group.id }).first();
      return row.status === 'open' ? undefined : row;
    }, 'the full group to close', 30_000);
    expect(group).toMatchObject({ status: 'succeeded', members: 10, seats: 10, close_reason: 'full' });
    expect(Number(group.final_unit_price)).toBe(700);
    const seated = await shop.db.knex('group_commerce.participations').where({ group_id: group.id }).whereIn('status', ['pending', 'active', 'confirmed', 'completed']);
    expect(seated).toHaveLength(10);
    await eventually(async () => {
      const done = await shop.db.knex('group_commerce.participations').where({ group_id: group.id, status: 'completed' });
      return done.length === 10 ? true : undefined;
    }, 'every member to be charged', 30_000);
    expect(await shop.stockOf(deal.sku)).toMatchObject({ onHand: 90, reserved: 0 });
    const captured = await shop.db.knex('payments.payment_intents').whereIn('reference_id', seated.map((s) => s.id)).sum({ total: 'captured_amount' });
    expect(Number(captured[0]?.total)).toBe(7000);
  }, 120_000);

  it('when one customer joins several groups of a deal at once, then the per-customer limit holds', async () => {
    const deal = await shop.deal({ stock: 50, tiers: [[1, 1000], [2, 900]], min: 2, max: 10, windowSeconds: 600, perCustomerLimit: 3 });
    const leaders = await Promise.all(Array.from({ length: 6 }, () => shop.customer()));
    const groups = await Promise.all(leaders.map((who) => shop.start(deal.id, who)));
    expect(groups.every((g) => g.statusCode === 201)).toBe(true);
    const greedy = await shop.customer();
    // Six joins of one unit, and two more of two units, all at once: at most 3 units may be held.
    const attempts = [
      ...groups.map((g) => shop.join(g.body.group.shareCode, greedy)),
      ...groups.slice(0, 2).map((g) => shop.join(g.body.group.shareCode, greedy, { quantity: 2 })),
    ];
    const answers = await Promise.all(attempts);
    const units = answers.filter((a) => a.statusCode === 201).reduce((sum, a) => sum + (a.body.participation as unknown as { quantity: number }).quantity, 0);
    expect(units).toBeLessThanOrEqual(3);
    expect(units).toBeGreaterThanOrEqual(2);
    expect(answers.every((a) => a.statusCode === 201 || a.statusCode === 409)).toBe(true);
    expect(answers.some((a) => JSON.stringify(a.body).includes('PER_CUSTOMER_LIMIT'))).toBe(true);
    const held = await shop.db.knex('group_commerce.participations').where({ deal_id: deal.id, customer_id: greedy.id }).whereIn('status', ['pending', 'active']).sum({ units: 'quantity' });
    expect(Number(held[0]?.units)).toBe(units);
    // One seat per group per customer, whatever raced.
    const perGroup = await shop.db.knex('group_commerce.participations').where({ deal_id: deal.id, customer_id: greedy.id }).groupBy('group_id').count({ n: '*' }).select('group_id');
    expect(perGroup.every((g) => Number(g.n) === 1)).toBe(true);
  }, 120_000);

  it('when one shopper sends the same start and the same join several times at once with one Idempotency-Key, then one seat is taken and every answer is it', async () => {
    const deal = await shop.deal({ stock: 20, tiers: [[1, 1000], [2, 900]], min: 2, max: 10, windowSeconds: 600 });
    const leader = await shop.customer();
    const startKey = { ...leader, 'idempotency-key': `start-${randomUUID()}` };
    const starts = await Promise.all(Array.from({ length: 6 }, () => shop.start(deal.id, startKey)));
    expect(starts.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(starts.map((a) => a.body.participation.id)).size).toBe(1);
    expect(new Set(starts.map((a) => a.body.group.id)).size).toBe(1);
    expect(await shop.db.knex('group_commerce.groups').where({ deal_id: deal.id })).toHaveLength(1);
    expect(await shop.db.knex('group_commerce.participations').where({ deal_id: deal.id, customer_id: leader.id })).toHaveLength(1);

    const shareCode = (starts[0] as (typeof starts)[number]).body.group.shareCode;
    const joiner = await shop.customer();
    const joinKey = { ...joiner, 'idempotency-key': `join-${randomUUID()}` };
    const joins = await Promise.all(Array.from({ length: 6 }, () => shop.join(shareCode, joinKey)));
    expect(joins.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(joins.map((a) => a.body.participation.id)).size).toBe(1);
    expect(await shop.db.knex('group_commerce.participations').where({ deal_id: deal.id, customer_id: joiner.id })).toHaveLength(1);
  }, 120_000);
  it('when one Idempotency-Key starts groups on two deals at once, then one seat is taken and the other deal is refused as a reused key, never a 5xx', async () => {
    const [first, second] = await Promise.all([0, 1].map(() => shop.deal({ stock: 20, tiers: [[1, 1000], [2, 900]], min: 2, max: 10, windowSeconds: 600 })));
    const deals = [first, second] as NonNullable<typeof first>[];
    const shopper = await shop.customer();
    const sameKey = { ...shopper, 'idempotency-key': `start-${randomUUID()}` };
    const answers = await Promise.all(deals.flatMap((d) => [0, 1, 2].map(async () => ({ dealId: d.id, answer: await shop.start(d.id, sameKey) }))));
    expect(answers.every((a) => a.answer.statusCode < 500)).toBe(true);
    const winner = answers.find((a) => a.answer.statusCode === 201);
    expect(answers.filter((a) => a.answer.statusCode === 201)).toHaveLength(1);
    for (const { dealId, answer } of answers) {
      if (dealId === winner?.dealId) expect(answer.body.participation.id).toBe(winner.answer.body.participation.id);
      else expect(answer).toMatchObject({ statusCode: 422, body: { code: 'GROUPS.IDEMPOTENCY_KEY_REUSED' } });
    }
    expect(await shop.db.knex('group_commerce.participations').where({ customer_id: shopper.id })).toHaveLength(1);
    expect(await shop.db.knex('group_commerce.groups').whereIn('deal_id', deals.map((d) => d.id))).toHaveLength(1);
  }, 120_000);
});
