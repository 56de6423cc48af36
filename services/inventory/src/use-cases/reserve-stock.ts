/**
 * Reserving stock for a reference, all lines or none, in one transaction:
 * claim the reference, lock the SKUs' levels, allocate, hold. A reference
 * reserved before gets its reservation back, whatever its state, so a retried
 * or redelivered request never holds stock twice.
 */
import { v7 as uuidv7 } from 'uuid';
import { recordEvents, type FieldError } from '@fusioncommerce/platform';
import { InventoryError, type Shortage } from '../domain/errors.ts';
import { expiryOf, normaliseLines, referenceKey, sameLines, type Reference } from '../domain/reservation.ts';
import { allocate, type Allocation, type RequestedLine } from '../domain/stock.ts';
import { groupLines, reservationView, type ReservationRow, type ReservationView } from '../store/reservation-store.ts';
import { changeStock } from './change-stock.ts';
import type { Actor, InventoryDeps } from './deps.ts';

export interface ReserveInput {
  reference: Reference;
  lines: RequestedLine[];
  /** How long to hold the stock; the service default when omitted. */
  ttlSeconds?: number;
  /**
   * A SKU inventory does not track: a 404 for a caller who can correct the
   * request (`reject`, the default), or a shortage of everything asked for a
   * saga step that must report an outcome either way (`short`).
   */
  unknownSkus?: 'reject' | 'short';
}

export type ReserveOutcome =
  | { outcome: 'reserved'; created: boolean; reservation: ReservationView }
  | { outcome: 'insufficient_stock'; shortages: Shortage[] };

export async function reserveStock(deps: InventoryDeps, input: ReserveInput, actor: Actor): Promise<ReserveOutcome> {
  const lines = normaliseLines(input.lines);
  const now = deps.now();
  const expiresAt = expiryOf(now, input.ttlSeconds, { defaultTtlSeconds: deps.settings.defaultTtlSeconds, maxTtlSeconds: deps.settings.maxTtlSeconds });
  const skus = lines.map((l) => l.sku);

  // SKUs are never untracked, so one checked here stays known for the transaction below.
  const known = await deps.stock.items(skus);
  const unknown: FieldError[] = [];
  input.lines.forEach((line, i) => {
    if (!known.has(line.sku)) unknown.push({ pointer: `/body/lines/${i}/sku`, message: 'is not tracked by inventory' });
  });
  if (unknown.length > 0 && input.unknownSkus !== 'short') throw InventoryError.skusNotFound(skus.filter((s) => !known.has(s)), unknown);

  const subject = referenceKey(input.reference);
  return deps.knex.transaction(async (trx): Promise<ReserveOutcome> => {
    const row: ReservationRow = {
      id: uuidv7(),
      reference_kind: input.reference.kind,
      reference_id: input.reference.id,
      status: 'active',
      expires_at: expiresAt,
      created_by: actor,
      created_at: now,
      committed_at: null,
      released_at: null,
      release_reason: null,
      returned_at: null,
    };
    if (!(await deps.reservations.claim(row, trx))) {
      const existing = await deps.reservations.byReference(input.reference, trx);
      if (!existing) throw new Error(`reference ${subject} was claimed but its reservation is not visible`);
      const existingLines = await deps.reservations.lines([existing.id], trx);
      const asked = groupLines(existingLines).map((l) => ({ sku: l.sku, quantity: l.quantity }));
      if (!sameLines(asked, lines)) throw InventoryError.referenceReused(subject);
      return { outcome: 'reserved', created: false, reservation: reservationView(existing, existingLines) };
    }

    let shortages: Shortage[] = [];
    let allocations: Allocation[] = [];
    const outcome = await changeStock(deps, trx, skus, actor, (levels) => {
      const result = allocate(lines, levels);
      if (!result.ok) {
        shortages = result.shortages;
        return [];
      }
      allocations = result.allocations;
      return allocations.map((a) => ({
        sku: a.sku,
        locationId: a.locationId,
        kind: 'reservation' as const,
        onHandDelta: 0,
        reservedDelta: a.quantity,
        reason: null,
        reservationId: row.id,
        reference: subject,
      }));
    });

    if (shortages.length > 0) {
      // Nothing is held; the reference is free again, and the saga hears why.
      await deps.reservations.unclaim(row.id, trx);
      await recordEvents(trx, deps.schema, [
        { type: 'inventory.stock.reservation_failed', subject, data: { reference: input.reference, lines, shortages } },
      ]);
      return { outcome: 'insufficient_stock', shortages };
    }

    await deps.reservations.insertLines(row.id, allocations, trx);
    const reservation = reservationView(
      row,
      allocations.map((a) => ({ reservation_id: row.id, sku: a.sku, location_id: a.locationId, quantity: a.quantity })),
    );
    await recordEvents(trx, deps.schema, [
      {
        type: 'inventory.stock.reserved',
        subject,
        data: { reservationId: row.id, reference: input.reference, lines: reservation.lines, expiresAt: reservation.expiresAt },
      },
      ...outcome.stockEvents,
    ]);
    return { outcome: 'reserved', created: true, reservation };
  });
}
