/**
 * Demo stock: every demo SKU tracked, with a deterministic quantity at the
 * default location — most well stocked, some low, a few sold out — so the
 * storefront shows every availability state. The embedded shop seeds it
 * here; `fusion demo` receives the same quantities through the receipts API
 * of a distributed shop.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { recordEvents } from '@fusioncommerce/platform';
import { v7 as uuidv7 } from 'uuid';
import { SKU } from '../domain/stock.ts';
import { LocationStore } from '../store/location-store.ts';
import { StockStore } from '../store/stock-store.ts';
import { availabilityChanged } from '../use-cases/change-stock.ts';
import { INVENTORY_SCHEMA } from '../migrations.ts';
import { SYSTEM } from '../use-cases/deps.ts';

export interface DemoStockOptions {
  now?: Date;
}

/** The reason on every demo receipt, in the movement log. */
export const DEMO_STOCK_REASON = 'demo stock';

/** 0 for about 1 in 12 SKUs, 1–4 for about 1 in 8, otherwise 8–60. */
export function demoQuantity(sku: string): number {
  const n = createHash('sha256').update(sku).digest().readUInt32BE(0);
  const bucket = n % 24;
  if (bucket < 2) return 0;
  if (bucket < 5) return 1 + (n % 4);
  return 8 + (n % 53);
}

/** Tracks the SKUs and receives their demo quantities; SKUs already tracked are left alone. Returns how many were added. */
export async function seedDemoStock(knex: Knex, skus: string[], options: DemoStockOptions = {}): Promise<number> {
  const now = options.now ?? new Date();
  const valid = [...new Set(skus)].filter((sku) => SKU.test(sku));
  return knex.transaction(async (trx) => {
    const added = await new StockStore(trx).insertItems(valid.map((sku) => ({ sku, threshold: null })), now, trx);
    const location = await new LocationStore(trx).getDefault(trx);
    const stocked = added.map((sku) => ({ sku, quantity: demoQuantity(sku) })).filter((s) => s.quantity > 0);
    for (let i = 0; i < stocked.length; i += 500) {
      const chunk = stocked.slice(i, i + 500);
      await trx('inventory.stock_levels').insert(chunk.map((s) => ({ sku: s.sku, location_id: location.id, on_hand: s.quantity, reserved: 0, updated_at: now })));
      await trx('inventory.movements').insert(
        chunk.map((s) => ({
          id: uuidv7(),
          sku: s.sku,
          location_id: location.id,
          kind: 'receipt',
          on_hand_delta: s.quantity,
          reserved_delta: 0,
          on_hand_after: s.quantity,
          reserved_after: 0,
          reason: DEMO_STOCK_REASON,
          actor: SYSTEM.demoSeed,
          reservation_id: null,
          reference: null,
          created_at: now,
        })),
      );
    }
    // Carts learn what each demo SKU has to sell, sold-out ones included.
    const byAdded = new Map(stocked.map((s) => [s.sku, s.quantity]));
    const events = added.map((sku) => availabilityChanged({ sku, onHand: byAdded.get(sku) ?? 0, reserved: 0, available: byAdded.get(sku) ?? 0 }));
    for (let i = 0; i < events.length; i += 500) await recordEvents(trx, INVENTORY_SCHEMA, events.slice(i, i + 500));
    return added.length;
  });
}
