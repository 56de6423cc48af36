/**
 * Stock levels and the rules every change to them obeys: available = on hand −
 * reserved and never below zero; a reservation takes stock all-or-nothing from
 * locations in a fixed order of preference; a SKU is low once what is
 * available falls to its threshold.
 */
import { InventoryError, type Shortage } from './errors.ts';

/** What a SKU looks like (the catalog's rule): letters and digits, then also dot, underscore and dash; 64 at most. */
export const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Above this, one location's count is a typo, not stock (and it keeps sums far from int4 overflow). */
export const MAX_UNITS_PER_LEVEL = 1_000_000_000;

export interface Level {
  sku: string;
  locationId: string;
  onHand: number;
  reserved: number;
}

export const availableOf = (level: Pick<Level, 'onHand' | 'reserved'>): number => level.onHand - level.reserved;

export type StockState = 'in_stock' | 'low_stock' | 'out_of_stock';

export function stockState(available: number, threshold: number): StockState {
  if (available <= 0) return 'out_of_stock';
  return available <= threshold ? 'low_stock' : 'in_stock';
}

/** Where a level sits in the order reservations take stock in. */
export interface LocationRank {
  locationId: string;
  priority: number;
  code: string;
  archived: boolean;
}

export interface RequestedLine {
  sku: string;
  quantity: number;
}

export interface Allocation {
  sku: string;
  locationId: string;
  quantity: number;
}

export type AllocationResult = { ok: true; allocations: Allocation[] } | { ok: false; shortages: Shortage[] };

const byPreference = (a: LocationRank, b: LocationRank): number =>
  a.priority - b.priority || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) || (a.locationId < b.locationId ? -1 : 1);

/**
 * Decides where each line's units come from, all or nothing. A line is taken
 * whole from the most preferred location that can cover it; only when none can
 * is it split across locations in order of preference. The same levels always
 * give the same answer.
 */
export function allocate(lines: RequestedLine[], levels: (Level & LocationRank)[]): AllocationResult {
  const allocations: Allocation[] = [];
  const shortages: Shortage[] = [];
  for (const line of lines) {
    const candidates = levels.filter((l) => l.sku === line.sku && !l.archived && availableOf(l) > 0).sort(byPreference);
    const total = candidates.reduce((sum, l) => sum + availableOf(l), 0);
    if (total < line.quantity) {
      shortages.push({ sku: line.sku, requested: line.quantity, available: Math.max(0, total) });
      continue;
    }
    const whole = candidates.find((l) => availableOf(l) >= line.quantity);
    if (whole) {
      allocations.push({ sku: line.sku, locationId: whole.locationId, quantity: line.quantity });
      continue;
    }
    let left = line.quantity;
    for (const level of candidates) {
      const take = Math.min(left, availableOf(level));
      allocations.push({ sku: line.sku, locationId: level.locationId, quantity: take });
      left -= take;
      if (left === 0) break;
    }
  }
  return shortages.length > 0 ? { ok: false, shortages } : { ok: true, allocations };
}

export type MovementKind = 'receipt' | 'adjustment' | 'reservation' | 'release' | 'commit';

/** One change to one level, as the movement log records it. */
export interface StockChange {
  sku: string;
  locationId: string;
  kind: MovementKind;
  onHandDelta: number;
  reservedDelta: number;
  reason: string | null;
  reservationId: string | null;
  reference: string | null;
}

export interface AppliedChange extends StockChange {
  onHandAfter: number;
  reservedAfter: number;
}

const levelKey = (sku: string, locationId: string): string => `${sku}\u0000${locationId}`;

/**
 * Applies changes in order to copies of the levels they touch and checks every
 * intermediate result, so a plan that would break an invariant fails before a
 * single row is written.
 */
export function applyChanges(levels: Level[], changes: StockChange[]): { levels: Level[]; applied: AppliedChange[] } {
  const current = new Map(levels.map((l) => [levelKey(l.sku, l.locationId), { ...l }]));
  const applied: AppliedChange[] = [];
  for (const change of changes) {
    const level = current.get(levelKey(change.sku, change.locationId));
    if (!level) throw new Error(`no stock level ${change.sku} at ${change.locationId} was loaded`);
    const onHand = level.onHand + change.onHandDelta;
    const reserved = level.reserved + change.reservedDelta;
    if (onHand > MAX_UNITS_PER_LEVEL) throw InventoryError.levelLimit(change.sku, MAX_UNITS_PER_LEVEL);
    if (onHand < reserved || onHand < 0) throw InventoryError.belowReserved(change.sku, onHand, level.reserved);
    if (reserved < 0) throw new Error(`reserved for ${change.sku} would fall below zero`);
    level.onHand = onHand;
    level.reserved = reserved;
    applied.push({ ...change, onHandAfter: onHand, reservedAfter: reserved });
  }
  return { levels: [...current.values()], applied };
}

export interface SkuTotals {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
}

export function totalsBySku(levels: Level[]): Map<string, SkuTotals> {
  const totals = new Map<string, SkuTotals>();
  for (const l of levels) {
    const t = totals.get(l.sku) ?? { sku: l.sku, onHand: 0, reserved: 0, available: 0 };
    t.onHand += l.onHand;
    t.reserved += l.reserved;
    t.available = t.onHand - t.reserved;
    totals.set(l.sku, t);
  }
  return totals;
}

export interface LowStock extends SkuTotals {
  threshold: number;
}

/**
 * SKUs whose availability fell to or below their threshold with this change.
 * Only the crossing counts: a SKU that was already low raises no new alert
 * with every sale, and one that recovers and falls again raises one again.
 */
export function lowStockCrossings(before: Map<string, SkuTotals>, after: Map<string, SkuTotals>, thresholdOf: (sku: string) => number): LowStock[] {
  const crossed: LowStock[] = [];
  for (const [sku, now] of after) {
    const threshold = thresholdOf(sku);
    const was = before.get(sku)?.available ?? 0;
    if (now.available <= threshold && was > threshold) crossed.push({ ...now, threshold });
  }
  return crossed;
}
