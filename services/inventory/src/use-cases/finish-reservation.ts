/**
 * The end of a reservation: committed (the units are sold and leave stock on
 * hand) or released (they become available again) — on request, or by the
 * expiry sweep. The reservation row is locked first, so of two racing calls
 * one does the work and the other finds it done.
 */
import { recordEvents, type NewEvent } from '@fusioncommerce/platform';
import { InventoryError } from '../domain/errors.ts';
import { decideCommit, decideRelease, decideRestock, referenceKey, type Reference, type ReleaseReason } from '../domain/reservation.ts';
import type { StockChange } from '../domain/stock.ts';
import { reservationView, type LineRow, type ReservationRow, type ReservationView } from '../store/reservation-store.ts';
import { changeStock } from './change-stock.ts';
import { SYSTEM, type Actor, type InventoryDeps } from './deps.ts';
import type { Knex } from 'knex';

export interface FinishResult {
  reservation: ReservationView;
  /** False when the reservation was already in that state (a repeated call). */
  changed: boolean;
}

const commitChange = (row: ReservationRow, line: LineRow): StockChange => ({
  sku: line.sku,
  locationId: line.location_id,
  kind: 'commit',
  onHandDelta: -line.quantity,
  reservedDelta: -line.quantity,
  reason: null,
  reservationId: row.id,
  reference: referenceKey({ kind: row.reference_kind, id: row.reference_id }),
});

const releaseChange = (row: ReservationRow, line: LineRow, reason: ReleaseReason): StockChange => ({
  sku: line.sku,
  locationId: line.location_id,
  kind: 'release',
  onHandDelta: 0,
  reservedDelta: -line.quantity,
  reason,
  reservationId: row.id,
  reference: referenceKey({ kind: row.reference_kind, id: row.reference_id }),
});

function finishedEvent(type: 'inventory.stock.committed' | 'inventory.stock.released', row: ReservationRow, lines: LineRow[], reason?: ReleaseReason): NewEvent {
  const view = reservationView(row, lines);
  return {
    type,
    subject: referenceKey(view.reference),
    data: { reservationId: row.id, reference: view.reference, lines: view.lines, ...(reason ? { reason } : {}) },
  };
}

async function finish(deps: InventoryDeps, reference: Reference, actor: Actor, action: 'commit' | 'release'): Promise<FinishResult> {
  return deps.knex.transaction(async (trx) => {
    const row = await deps.reservations.byReference(reference, trx, true);
    if (!row) throw InventoryError.reservationNotFound(referenceKey(reference));
    const lines = await deps.reservations.lines([row.id], trx);
    const decision = action === 'commit' ? decideCommit(row.status) : decideRelease(row.status);
    if (decision === 'already_done') return { reservation: reservationView(row, lines), changed: false };

    const outcome = await changeStock(deps, trx, lines.map((l) => l.sku), actor, () =>
      lines.map((line) => (action === 'commit' ? commitChange(row, line) : releaseChange(row, line, 'requested'))),
    );
    const now = deps.now();
    const [updated] =
      action === 'commit' ? await deps.reservations.markCommitted([row.id], now, trx) : await deps.reservations.markReleased([row.id], 'requested', now, trx);
    if (!updated) throw new Error(`reservation ${row.id} changed while locked`);
    await recordEvents(trx, deps.schema, [
      action === 'commit' ? finishedEvent('inventory.stock.committed', updated, lines) : finishedEvent('inventory.stock.released', updated, lines, 'requested'),
      ...outcome.stockEvents,
    ]);
    return { reservation: reservationView(updated, lines), changed: true };
  });
}

/** Sold: on hand and reserved both go down. Committing again is a no-op; a released reservation is a 409. */
export const commitReservation = (deps: InventoryDeps, reference: Reference, actor: Actor): Promise<FinishResult> =>
  finish(deps, reference, actor, 'commit');

/** Given back: reserved goes down. Releasing again is a no-op; a committed reservation is a 409. */
export const releaseReservation = (deps: InventoryDeps, reference: Reference, actor: Actor): Promise<FinishResult> =>
  finish(deps, reference, actor, 'release');

/**
 * Puts a sold reservation's units back on hand (an order cancelled or returned
 * after its stock was committed), once: the reservation becomes `returned`,
 * and restocking it again is a no-op. Units go back to the locations they
 * left, or to the default location if one of those was archived meanwhile.
 * Each line is a receipt in the movement log and an `inventory.stock.adjusted`.
 */
export async function restockReservation(deps: InventoryDeps, reference: Reference, actor: Actor, reason?: string): Promise<FinishResult> {
  const why = reason ?? `${referenceKey(reference)} returned to stock`;
  return deps.knex.transaction(async (trx) => {
    const row = await deps.reservations.byReference(reference, trx, true);
    if (!row) throw InventoryError.reservationNotFound(referenceKey(reference));
    const lines = await deps.reservations.lines([row.id], trx);
    if (decideRestock(row.status) === 'already_done') return { reservation: reservationView(row, lines), changed: false };

    const fallback = await deps.locations.getDefault(trx, 'share');
    const targets = new Map<string, string>();
    for (const locationId of new Set(lines.map((l) => l.location_id))) {
      const location = await deps.locations.get(locationId, trx, 'share');
      targets.set(locationId, location && !location.archived_at ? location.id : fallback.id);
    }
    const to = (line: LineRow): string => targets.get(line.location_id) as string;
    await deps.stock.ensureLevels(lines.map((l) => ({ sku: l.sku, locationId: to(l) })), trx);
    const outcome = await changeStock(deps, trx, lines.map((l) => l.sku), actor, () =>
      lines.map((line) => ({
        sku: line.sku,
        locationId: to(line),
        kind: 'receipt' as const,
        onHandDelta: line.quantity,
        reservedDelta: 0,
        reason: why,
        reservationId: row.id,
        reference: referenceKey(reference),
      })),
    );
    const updated = await deps.reservations.markReturned(row.id, deps.now(), trx);
    if (!updated) throw new Error(`reservation ${row.id} changed while locked`);
    await recordEvents(trx, deps.schema, [
      ...outcome.applied.map((applied, i) => ({
        type: 'inventory.stock.adjusted',
        subject: applied.sku,
        data: {
          movementId: outcome.movements[i]?.id as string,
          sku: applied.sku,
          locationId: applied.locationId,
          kind: 'receipt' as const,
          delta: applied.onHandDelta,
          onHand: applied.onHandAfter,
          reserved: applied.reservedAfter,
          available: applied.onHandAfter - applied.reservedAfter,
          skuAvailable: outcome.totalsAfter.get(applied.sku)?.available ?? 0,
          reason: why,
          actor,
        },
      })),
      ...outcome.stockEvents,
    ]);
    return { reservation: reservationView(updated, lines), changed: true };
  });
}

async function sweepBatch(deps: InventoryDeps, now: Date, batchSize: number, trx: Knex.Transaction): Promise<number> {
  const rows = await deps.reservations.claimExpired(now, batchSize, trx);
  if (rows.length === 0) return 0;
  const lines = await deps.reservations.lines(rows.map((r) => r.id), trx);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const outcome = await changeStock(deps, trx, lines.map((l) => l.sku), SYSTEM.expirySweep, () =>
    lines.map((line) => releaseChange(byId.get(line.reservation_id) as ReservationRow, line, 'expired')),
  );
  const released = await deps.reservations.markReleased([...byId.keys()], 'expired', deps.now(), trx);
  if (released.length !== rows.length) throw new Error(`released ${released.length} of ${rows.length} locked reservations`);
  await recordEvents(trx, deps.schema, [
    ...released.map((r) => finishedEvent('inventory.stock.released', r, lines.filter((l) => l.reservation_id === r.id), 'expired')),
    ...outcome.stockEvents,
  ]);
  return released.length;
}

export interface SweepOptions {
  /** Release what expired by this moment (default: now). */
  now?: Date;
  batchSize?: number;
  /** Stop after this many batches, so one sweep cannot run forever (default 50). */
  maxBatches?: number;
}

/**
 * Releases every reservation that expired, a batch per transaction. Safe with
 * any number of sweepers in any number of processes: each locks the
 * reservations it takes and skips those locked by others, and a reservation
 * is released only while it is still active — so exactly once.
 */
export async function sweepExpiredReservations(deps: InventoryDeps, options: SweepOptions = {}): Promise<{ released: number }> {
  const batchSize = options.batchSize ?? deps.settings.sweepBatchSize;
  const maxBatches = options.maxBatches ?? 50;
  let released = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const now = options.now ?? deps.now();
    const count = await deps.knex.transaction((trx) => sweepBatch(deps, now, batchSize, trx));
    released += count;
    if (count < batchSize) break;
  }
  return { released };
}
