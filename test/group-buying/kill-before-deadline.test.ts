import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenServiceFrom } from '@fusioncommerce/platform';
import { createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { ADDRESS, SUCCESS_CARD, eventually } from '../checkout/shop.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

function startPlatform(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--conditions=fusion-source', '--import', 'tsx', 'apps/gateway/src/main.ts'], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'warn', HOST: '127.0.0.1', FUSION_DEMO_DATA: 'false', ...env },
    stdio: 'ignore',
  });
}

describe('a platform process killed before a group’s deadline (PostgreSQL server)', () => {
  let db: TestDatabase;
  let child: ChildProcess | undefined;
  const port = String(25_000 + Math.floor(Math.random() * 5000));
  const base = `http://127.0.0.1:${port}`;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await db.close();
  });

  it('when it is down at the deadline and started again, then the group settles after the restart, once', async () => {
    const env = { DATABASE_URL: db.url as string, PORT: port, GROUP_DEADLINE_POLL_MS: '200' };
    child = startPlatform(env);
    await eventually(async () => (await fetch(`${base}/ready`).catch(() => undefined))?.ok, 'the platform to be ready', 60_000);
    const tokens = tokenServiceFrom({});
    const bearer = async (id: string, role: 'admin' | 'customer') => `Bearer ${await tokens.sign({ id, role, email: `${id}@example.test` }, 3600)}`;
    const admin = await bearer('admin-kill', 'admin');
    const call = async (method: string, path: string, body?: unknown, authorization = admin) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    const sku = `GROUP-${randomUUID().slice(0, 8).toUpperCase()}`;
    const product = await call('POST', '/v1/products', { title: `Group kill ${sku}`, variants: [{ sku, price: { amount: 1200, currency: 'USD' } }] });
    expect(product.status).toBe(201);
    await call('POST', `/v1/products/${product.body.id}/publish`, { version: 1 });
    await eventually(async () => (await call('GET', `/v1/inventory/items/${sku}`)).status === 200, 'inventory to track the SKU');
    expect((await call('POST', `/v1/inventory/items/${sku}/receipts`, { quantity: 10 })).status).toBe(201);
    const variantId = (product.body.variants as { id: string }[])[0]?.id as string;
    const dealBody = {
      variantId,
      tiers: [{ minParticipants: 1, unitPrice: { amount: 1200, currency: 'USD' } }, { minParticipants: 3, unitPrice: { amount: 1000, currency: 'USD' } }],
      minGroupSize: 2,
      groupWindowSeconds: 25,
      perCustomerLimit: 2,
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
    };
    const deal = await eventually(async () => {
      const res = await call('POST', '/v1/group-deals', dealBody);
      return res.status === 201 ? res.body : undefined;
    }, 'group buying to learn the variant');

    const shoppers = await Promise.all(['a', 'b', 'c'].map((n) => bearer(`kill-shopper-${n}-${randomUUID().slice(0, 6)}`, 'customer')));
    const seat = { shippingAddress: ADDRESS, payment: { method: SUCCESS_CARD } };
    const started = await call('POST', '/v1/groups', { dealId: deal.id, ...seat }, shoppers[0]);
    expect(started.status).toBe(201);
    const group = started.body.group as { id: string; shareCode: string; deadlineAt: string };
    for (const who of shoppers.slice(1)) expect((await call('POST', `/v1/groups/${group.shareCode}/join`, seat, who)).status).toBe(201);
    await eventually(async () => {
      const rows = await db.knex('group_commerce.participations').where({ group_id: group.id, status: 'active' });
      return rows.length === 3 ? rows : undefined;
    }, 'all three to be members');

    // No goodbye, well before the deadline; the process stays down past it.
    expect(Date.now()).toBeLessThan(new Date(group.deadlineAt).getTime() - 1000);
    child.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));
    await new Promise((r) => setTimeout(r, Math.max(0, new Date(group.deadlineAt).getTime() - Date.now()) + 1500));
    expect(await db.knex('group_commerce.groups').where({ id: group.id }).first()).toMatchObject({ status: 'open' });
    expect(await db.knex('group_commerce.deadlines').where({ group_id: group.id }).first()).toMatchObject({ fired_at: null });

    child = startPlatform(env);
    await eventually(async () => (await fetch(`${base}/ready`).catch(() => undefined))?.ok, 'the platform to be ready again', 60_000);
    const settled = await eventually(async () => {
      const row = await db.knex('group_commerce.groups').where({ id: group.id }).first();
      return row.status === 'open' ? undefined : row;
    }, 'the missed deadline to fire after the restart', 30_000);
    expect(settled).toMatchObject({ status: 'succeeded', members: 3, close_reason: 'deadline' });
    await eventually(async () => {
      const rows = await db.knex('group_commerce.participations').where({ group_id: group.id, status: 'completed' });
      return rows.length === 3 ? rows : undefined;
    }, 'every member to be charged and get an order', 30_000);

    // Fired once: one deadline row fired, one outcome, one capture per member at the final price.
    const deadline = await db.knex('group_commerce.deadlines').where({ group_id: group.id }).first();
    expect(deadline.fired_at).not.toBeNull();
    expect(deadline.outcome).toBe('succeeded');
    expect(await db.knex('group_commerce.outbox').where({ type: 'group-commerce.group.succeeded', subject: group.id })).toHaveLength(1);
    expect(await db.knex('group_commerce.outbox').where({ type: 'group-commerce.group.closed', subject: group.id })).toHaveLength(1);
    const ids = (await db.knex('group_commerce.participations').where({ group_id: group.id }).pluck('id')) as string[];
    const intents = await db.knex('payments.payment_intents').whereIn('reference_id', ids);
    expect(intents.map((p) => [p.status, Number(p.captured_amount)])).toEqual([
      ['captured', 1000],
      ['captured', 1000],
      ['captured', 1000],
    ]);
    expect(await db.knex('payments.payment_attempts').whereIn('payment_id', intents.map((p) => p.id)).where({ operation: 'capture' })).toHaveLength(3);
    // Orders hears of each completed participation by event: it follows, just after.
    const orders = await eventually(async () => {
      const rows = await db.knex('orders.orders').whereIn('group_participation_id', ids).where({ source: 'group' });
      return rows.length === 3 ? rows : undefined;
    }, 'an order for every member', 30_000);
    expect(orders.map((o) => o.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    child.kill('SIGTERM');
    await new Promise((resolve) => child?.once('exit', resolve));
  }, 240_000);
});
