/** Small builders and helpers for shipping tests; every test makes its own data. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { EventData, OrderConfirmed } from '@fusioncommerce/contracts';
import type { Database } from '@fusioncommerce/platform';
import { buildTestApp, createTestDatabase, type Backend, type TestApp } from '@fusioncommerce/platform/testing';
import type { ShippingSettings } from '../src/config.ts';
import { createShippingService } from '../src/service.ts';
import { shippingDeps, type ShippingDeps } from '../src/use-cases/deps.ts';
import { createShipmentForOrder } from '../src/use-cases/manage-shipments.ts';

export type Headers = { authorization: string };

export interface ShippingTest {
  t: TestApp;
  admin: Headers;
  deps: ShippingDeps;
  close(): Promise<void>;
}

export async function shippingTest(backend: Backend, settings: Partial<ShippingSettings> = {}, options: { db?: Database } = {}): Promise<ShippingTest> {
  const db = options.db ?? (await createTestDatabase(backend));
  const t = await buildTestApp([createShippingService({ settings })], db);
  return {
    t,
    admin: await t.as('admin'),
    deps: shippingDeps(db.knex, settings),
    async close() {
      await t.close();
      if (!options.db) await db.close();
    },
  };
}

export const standardOption = (over: Record<string, unknown> = {}) => ({
  name: `Standard ${randomUUID().slice(0, 6)}`,
  currency: 'USD',
  countries: ['US'],
  rate: { type: 'flat', amount: 500 },
  ...over,
});

/** An order confirmation as orders records it. */
export const confirmedOrder = (over: Partial<EventData<typeof OrderConfirmed>> = {}): EventData<typeof OrderConfirmed> => ({
  orderId: randomUUID(),
  number: `FC-${Math.floor(Math.random() * 1e6)}`,
  paymentId: randomUUID(),
  total: { amount: 5499, currency: 'USD' },
  capture: true,
  email: 'shopper@example.test',
  customerId: randomUUID(),
  lines: [
    { variantId: randomUUID(), sku: 'TEE-S', title: 'Tee — S', quantity: 2 },
    { variantId: randomUUID(), sku: 'MUG-1', title: 'Mug', quantity: 1 },
  ],
  shippingAddress: { name: 'Ada', line1: '1 Way', city: 'Town', postalCode: '1000', country: 'US' },
  shippingOption: { id: randomUUID(), name: 'Standard', carrier: 'manual', amount: { amount: 499, currency: 'USD' } },
  ...over,
});

/** Creates the shipment of a confirmed order as the event handler would; returns its id. */
export async function shipmentFor(deps: ShippingDeps, order: EventData<typeof OrderConfirmed>): Promise<string> {
  const shipment = await deps.knex.transaction((trx) => createShipmentForOrder(deps, trx, order));
  expect(shipment).toBeDefined();
  return shipment?.id as string;
}

export async function outboxOf(deps: ShippingDeps, type: string): Promise<Record<string, unknown>[]> {
  const rows = (await deps.knex('shipping.outbox').where({ type }).orderBy('position').select('data')) as { data: unknown }[];
  return rows.map((r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>);
}
