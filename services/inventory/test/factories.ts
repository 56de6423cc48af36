/** Small builders and helpers for inventory tests; every test makes its own data. */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { buildTestApp, createTestDatabase, type Backend, type TestApp } from '@fusioncommerce/platform/testing';
import type { Database } from '@fusioncommerce/platform';
import type { InventorySettings } from '../src/config.ts';
import { createInventoryService } from '../src/service.ts';
import { inventoryDeps, type InventoryDeps } from '../src/use-cases/deps.ts';

let sequence = 0;
export const uniq = (): string => `${Date.now().toString(36)}${(sequence++).toString(36)}${randomBytes(2).toString('hex')}`.toUpperCase();
export const newSku = (prefix = 'SKU'): string => `${prefix}-${uniq()}`;
export const orderRef = (id: string = randomUUID()) => ({ kind: 'order' as const, id });

export type Headers = { authorization: string };

export interface InventoryTest {
  t: TestApp;
  admin: Headers;
  deps: InventoryDeps;
  close(): Promise<void>;
}

/** An app with inventory alone; the periodic sweep is off (tests sweep by hand). */
export async function inventoryTest(backend: Backend, settings: Partial<InventorySettings> = {}, options: { db?: Database; poolMax?: number } = {}): Promise<InventoryTest> {
  const db = options.db ?? (await createTestDatabase(backend, { poolMax: options.poolMax }));
  const resolved = { sweepIntervalMs: 0, ...settings };
  const t = await buildTestApp([createInventoryService({ settings: resolved })], db);
  return {
    t,
    admin: await t.as('admin'),
    deps: inventoryDeps(db.knex, resolved),
    async close() {
      await t.close();
      if (!options.db) await db.close();
    },
  };
}

export interface Reservation {
  id: string;
  status: string;
  reference: { kind: string; id: string };
  lines: { sku: string; quantity: number; allocations: { locationId: string; quantity: number }[] }[];
  expiresAt: string;
}

/** Helpers that call the API as an admin and insist on success. */
export function api(t: TestApp, admin: Headers) {
  return {
    async track(sku: string, lowStockThreshold?: number | null) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/inventory/items', headers: admin, payload: { sku, ...(lowStockThreshold === undefined ? {} : { lowStockThreshold }) } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    },
    async receive(sku: string, quantity: number, locationId?: string, reason?: string) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/v1/inventory/items/${sku}/receipts`,
        headers: admin,
        payload: { quantity, ...(locationId ? { locationId } : {}), ...(reason ? { reason } : {}) },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    },
    /** Tracks a new SKU and receives `quantity` of it at the default location. */
    async stocked(quantity: number, lowStockThreshold?: number | null) {
      const sku = newSku();
      await this.track(sku, lowStockThreshold);
      if (quantity > 0) await this.receive(sku, quantity);
      return sku;
    },
    reserve(reference: { kind: string; id: string }, lines: { sku: string; quantity: number }[], ttlSeconds?: number) {
      return t.app.inject({ method: 'POST', url: '/v1/inventory/reservations', headers: admin, payload: { reference, lines, ...(ttlSeconds ? { ttlSeconds } : {}) } });
    },
    finish(reference: { kind: string; id: string }, action: 'commit' | 'release' | 'restock') {
      return t.app.inject({ method: 'POST', url: `/v1/inventory/reservations/by-reference/${reference.kind}/${reference.id}/${action}`, headers: admin });
    },
    async item(sku: string) {
      const res = await t.app.inject({ url: `/v1/inventory/items/${sku}`, headers: admin });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { onHand: number; reserved: number; available: number; state: string; levels: { locationId: string; onHand: number; reserved: number }[] };
    },
    async movements(query: string) {
      const res = await t.app.inject({ url: `/v1/inventory/movements?limit=100&${query}`, headers: admin });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { data: Record<string, unknown>[] }).data;
    },
  };
}

/** Events in the outbox, oldest first, optionally of one type or subject. */
export async function outbox(db: Database, filter: { type?: string; subject?: string } = {}) {
  const query = db.knex('inventory.outbox').orderBy('position');
  if (filter.type) void query.where({ type: filter.type });
  if (filter.subject) void query.where({ subject: filter.subject });
  return (await query) as { type: string; subject: string; data: Record<string, unknown> }[];
}
