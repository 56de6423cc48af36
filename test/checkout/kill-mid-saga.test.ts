import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenServiceFrom } from '@fusioncommerce/platform';
import { createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { ADDRESS, SUCCESS_CARD, eventually } from './shop.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

function startPlatform(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--conditions=fusion-source', '--import', 'tsx', 'apps/gateway/src/main.ts'], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'warn', HOST: '127.0.0.1', FUSION_DEMO_DATA: 'false', ...env },
    stdio: 'ignore',
  });
}

describe('a platform process killed in the middle of checkouts (PostgreSQL server)', () => {
  let db: TestDatabase;
  let child: ChildProcess | undefined;
  const port = String(20_000 + Math.floor(Math.random() * 5000));
  const base = `http://127.0.0.1:${port}`;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await db.close();
  });

  it('when it is killed with sagas in flight and started again, then every order ends confirmed or cancelled and stock adds up', async () => {
    const env = { DATABASE_URL: db.url as string, PORT: port, CHECKOUT_WAIT_MS: '0' };
    child = startPlatform(env);
    await eventually(async () => (await fetch(`${base}/ready`).catch(() => undefined))?.ok, 'the platform to be ready', 60_000);
    const token = await tokenServiceFrom({}).sign({ id: 'admin-kill', role: 'admin', email: 'admin@example.test' }, 3600);
    const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    const sku = `KILL-${randomUUID().slice(0, 8).toUpperCase()}`;
    const product = await call('POST', '/v1/products', { title: `Kill test ${sku}`, variants: [{ sku, price: { amount: 1500, currency: 'USD' } }] });
    expect(product.status).toBe(201);
    await call('POST', `/v1/products/${product.body.id}/publish`, { version: 1 });
    await eventually(async () => (await call('GET', `/v1/inventory/items/${sku}`)).status === 200, 'inventory to track the SKU');
    expect((await call('POST', `/v1/inventory/items/${sku}/receipts`, { quantity: 3 })).status).toBe(201);
    const variantId = (product.body.variants as { id: string }[])[0]?.id as string;
    const carts: string[] = [];
    for (let i = 0; i < 6; i++) {
      const cart = await call('POST', '/v1/carts');
      await eventually(async () => (await call('POST', `/v1/carts/${cart.body.id}/lines`, { variantId, quantity: 1 })).status === 200, 'orders to learn the price');
      carts.push(cart.body.id as string);
    }

    const placed = await Promise.all(
      carts.map((cartId) =>
        call('POST', '/v1/checkout', { cartId, email: 'kill@example.test', shippingAddress: ADDRESS, payment: { method: SUCCESS_CARD } }, { 'idempotency-key': randomUUID() }),
      ),
    );
    // Each an order (answered at once as pending, or settled) or, if the sale was already known to be over, a 409 that created none.
    const refusedAtOnce = placed.filter((p) => p.status === 409 && p.body.code === 'ORDERS.OUT_OF_STOCK').length;
    expect(placed.filter((p) => p.status === 202 || p.status === 201).length + refusedAtOnce).toBe(6);
    // No goodbye: the process dies with events in outboxes and consumers mid-transaction.
    child.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));
    const orderIds = placed.filter((p) => p.status !== 409).map((p) => p.body.id as string);
    const pendingAtKill = (await db.knex('orders.orders').whereIn('id', orderIds).where({ status: 'pending' })).length;

    child = startPlatform(env);
    await eventually(async () => (await fetch(`${base}/ready`).catch(() => undefined))?.ok, 'the platform to be ready again', 60_000);
    const statuses = await eventually(async () => {
      const rows = (await db.knex('orders.orders').whereIn('id', orderIds).pluck('status')) as string[];
      return rows.length === orderIds.length && rows.every((s) => s !== 'pending') ? rows : undefined;
    }, 'every order to settle after the restart', 60_000);
    expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(3);
    expect(statuses.filter((s) => s === 'cancelled')).toHaveLength(3 - refusedAtOnce);
    const level = await eventually(async () => {
      const item = (await call('GET', `/v1/inventory/items/${sku}`)).body as { onHand: number; reserved: number };
      return item.reserved === 0 ? item : undefined;
    }, 'every reservation to be committed or released');
    expect(level).toMatchObject({ onHand: 0, reserved: 0 });
    // The kill must have caught at least one order mid-saga for this test to mean anything.
    expect(pendingAtKill).toBeGreaterThan(0);
    child.kill('SIGTERM');
    await new Promise((resolve) => child?.once('exit', resolve));
  });
});
