/**
 * The one way stock levels change, inside a use case's transaction: lock the
 * SKUs' levels (in the global lock order), let the caller plan its changes
 * from what it locked, check them against the domain's rules, write the
 * levels, log a movement per change and raise low-stock alerts for SKUs that
 * crossed their threshold.
 */
import type { Knex } from 'knex';
import type { NewEvent } from '@fusioncommerce/platform';
import type { EventData, StockAvailabilityChanged, StockLow } from '@fusioncommerce/contracts';
import { applyChanges, lowStockCrossings, totalsBySku, type AppliedChange, type Level, type SkuTotals, type StockChange } from '../domain/stock.ts';
import type { LockedLevel, MovementRow } from '../store/stock-store.ts';
import type { Actor, InventoryDeps } from './deps.ts';

export interface StockChangeOutcome {
  /** The levels as locked, before the change. */
  locked: LockedLevel[];
  applied: AppliedChange[];
  movements: MovementRow[];
  totalsAfter: Map<string, SkuTotals>;
  /**
   * `inventory.stock.availability_changed` for each SKU whose sellable total
   * moved, and `inventory.stock.low` for each that crossed its threshold; the
   * caller records them with its own events.
   */
  stockEvents: NewEvent<EventData<typeof StockLow> | EventData<typeof StockAvailabilityChanged>>[];
}

export type StockPlan = (levels: LockedLevel[]) => StockChange[];

const key = (l: Level): string => `${l.sku}\u0000${l.locationId}`;

export async function changeStock(deps: InventoryDeps, trx: Knex.Transaction, skus: string[], actor: Actor, plan: StockPlan): Promise<StockChangeOutcome> {
  const locked = await deps.stock.lockLevels(skus, trx);
  const changes = plan(locked);
  const { levels: after, applied } = applyChanges(locked, changes);
  const now = deps.now();

  const before = new Map(locked.map((l) => [key(l), l]));
  const changed = after
    .map((level) => ({ before: before.get(key(level)) as Level, after: level }))
    .filter(({ before: b, after: a }) => b.onHand !== a.onHand || b.reserved !== a.reserved)
    .sort((x, y) => (key(x.after) < key(y.after) ? -1 : 1));
  await deps.stock.write(changed, now, trx);
  const movements = await deps.stock.insertMovements(applied, actor, now, trx);

  const thresholds = new Map(locked.map((l) => [l.sku, l.threshold]));
  const thresholdOf = (sku: string): number => thresholds.get(sku) ?? deps.settings.defaultLowStockThreshold;
  const totalsBefore = totalsBySku(locked);
  const totalsAfter = totalsBySku(after);
  const availabilityEvents = [...totalsAfter.values()]
    .filter((t) => t.available !== (totalsBefore.get(t.sku)?.available ?? 0))
    .map((t) => availabilityChanged(t));
  const lowEvents = lowStockCrossings(totalsBefore, totalsAfter, thresholdOf).map((low) => ({
    type: 'inventory.stock.low',
    subject: low.sku,
    data: { sku: low.sku, onHand: low.onHand, reserved: low.reserved, available: low.available, threshold: low.threshold },
  }));
  return { locked, applied, movements, totalsAfter, stockEvents: [...availabilityEvents, ...lowEvents] };
}

/** The event that tells other services (carts) what can be sold of a SKU now; subject: the SKU, so one SKU's figures arrive in order. */
export function availabilityChanged(t: SkuTotals): NewEvent<EventData<typeof StockAvailabilityChanged>> {
  return { type: 'inventory.stock.availability_changed', subject: t.sku, data: { sku: t.sku, onHand: t.onHand, reserved: t.reserved, available: t.available } };
}
