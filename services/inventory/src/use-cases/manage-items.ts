/** The SKUs inventory tracks and their low-stock thresholds. */
import { recordEvents } from '@fusioncommerce/platform';
import { InventoryError } from '../domain/errors.ts';
import { totalsBySku } from '../domain/stock.ts';
import type { ItemDetail } from '../store/stock-queries.ts';
import { availabilityChanged } from './change-stock.ts';
import type { InventoryDeps } from './deps.ts';

export interface TrackInput {
  sku: string;
  lowStockThreshold?: number | null;
}

/**
 * Starts tracking SKUs (at zero stock); SKUs already tracked keep their
 * settings. For catalog sync and seeding, where "already there" is fine.
 */
export async function trackSkus(deps: InventoryDeps, items: TrackInput[]): Promise<string[]> {
  if (items.length === 0) return [];
  const now = deps.now();
  return deps.knex.transaction(async (trx) => {
    const added = await deps.stock.insertItems(items.map((i) => ({ sku: i.sku, threshold: i.lowStockThreshold ?? null })), now, trx);
    // A newly tracked SKU has nothing to sell until stock is received; carts should know.
    await recordEvents(trx, deps.schema, added.map((sku) => availabilityChanged({ sku, onHand: 0, reserved: 0, available: 0 })));
    return added;
  });
}

/** An admin starts tracking one SKU; tracking it twice is a conflict. */
export async function registerSku(deps: InventoryDeps, input: TrackInput): Promise<ItemDetail> {
  const added = await trackSkus(deps, [input]);
  if (added.length === 0) throw InventoryError.skuExists(input.sku);
  return getItem(deps, input.sku);
}

export async function getItem(deps: InventoryDeps, sku: string): Promise<ItemDetail> {
  const item = await deps.queries.item(sku, deps.settings.defaultLowStockThreshold);
  if (!item) throw InventoryError.skuNotFound(sku);
  return item;
}

/**
 * Sets a SKU's threshold (null: back to the service default). If the SKU is
 * low under the new threshold and was not under the old one, that is a
 * crossing like any other and raises `inventory.stock.low`.
 */
export async function setThreshold(deps: InventoryDeps, sku: string, threshold: number | null): Promise<ItemDetail> {
  const now = deps.now();
  await deps.knex.transaction(async (trx) => {
    // No key update: receipts creating levels for this SKU (a key share on it) are not held up.
    const item = await trx('inventory.items').where({ sku }).forNoKeyUpdate().first<{ low_stock_threshold: number | null } | undefined>();
    if (!item) throw InventoryError.skuNotFound(sku);
    const levels = await deps.stock.lockLevels([sku], trx);
    await deps.stock.setThreshold(sku, threshold, now, trx);
    const fallback = deps.settings.defaultLowStockThreshold;
    const totals = totalsBySku(levels).get(sku) ?? { sku, onHand: 0, reserved: 0, available: 0 };
    const wasLow = totals.available <= (item.low_stock_threshold ?? fallback);
    const isLow = totals.available <= (threshold ?? fallback);
    // Low now and not before: the threshold moved past what is available, a crossing like any other.
    if (isLow && !wasLow) {
      await recordEvents(trx, deps.schema, [
        { type: 'inventory.stock.low', subject: sku, data: { ...totals, threshold: threshold ?? fallback } },
      ]);
    }
  });
  return getItem(deps, sku);
}
