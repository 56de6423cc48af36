/**
 * A reservation holds stock for one reference (an order, a group
 * participation) until it is committed (sold) or released (cancelled or
 * expired). Each reference has one reservation, and every transition happens
 * at most once: repeating it is a no-op, never a second effect.
 */
import { InventoryError } from './errors.ts';
import type { RequestedLine } from './stock.ts';

export type ReservationStatus = 'active' | 'committed' | 'released' | 'returned';
export type ReferenceKind = 'order' | 'group_participation';
export type ReleaseReason = 'requested' | 'expired';

export interface Reference {
  kind: ReferenceKind;
  id: string;
}

/** `order:0190…` — how a reference appears in the movement log and as an event subject. */
export const referenceKey = (reference: Reference): string => `${reference.kind}:${reference.id}`;

/** Lines sorted by SKU; a SKU named twice is refused rather than guessed at. */
export function normaliseLines(lines: RequestedLine[]): RequestedLine[] {
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    if (seen.has(line.sku)) throw InventoryError.duplicateLine(line.sku, `/body/lines/${i}/sku`);
    seen.add(line.sku);
  });
  return [...lines].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)).map((l) => ({ sku: l.sku, quantity: l.quantity }));
}

/** Whether two normalised line lists ask for the same thing. */
export function sameLines(a: RequestedLine[], b: RequestedLine[]): boolean {
  return a.length === b.length && a.every((line, i) => line.sku === b[i]?.sku && line.quantity === b[i]?.quantity);
}

export type Decision = 'apply' | 'already_done';

/** Commit: active → committed; again (or after a return) is a no-op; a released reservation cannot be sold. */
export function decideCommit(status: ReservationStatus): Decision {
  if (status === 'committed' || status === 'returned') return 'already_done';
  if (status === 'released') throw InventoryError.illegalReservationTransition(status, 'commit');
  return 'apply';
}

/** Release: active → released; again is a no-op; sold stock is not released (it is restocked). */
export function decideRelease(status: ReservationStatus): Decision {
  if (status === 'released') return 'already_done';
  if (status === 'committed' || status === 'returned') throw InventoryError.illegalReservationTransition(status, 'release');
  return 'apply';
}

/** Restock: committed → returned (the units go back on hand); again is a no-op; unsold stock is released instead. */
export function decideRestock(status: ReservationStatus): Decision {
  if (status === 'returned') return 'already_done';
  if (status === 'active' || status === 'released') throw InventoryError.illegalReservationTransition(status, 'restock');
  return 'apply';
}

/** When a reservation made now lapses: the caller's TTL, within the service's maximum, or the default. */
export function expiryOf(now: Date, ttlSeconds: number | undefined, settings: { defaultTtlSeconds: number; maxTtlSeconds: number }): Date {
  const ttl = ttlSeconds ?? settings.defaultTtlSeconds;
  if (ttl > settings.maxTtlSeconds) throw InventoryError.ttlTooLong(settings.maxTtlSeconds);
  return new Date(now.getTime() + ttl * 1000);
}
