/** Reservations and their lines (where each reserved unit is held). */
import type { Knex } from 'knex';
import type { Reference, ReferenceKind, ReleaseReason, ReservationStatus } from '../domain/reservation.ts';
import type { Allocation } from '../domain/stock.ts';

const T = { reservations: 'inventory.reservations', lines: 'inventory.reservation_lines' } as const;

export interface ReservationRow {
  id: string;
  reference_kind: ReferenceKind;
  reference_id: string;
  status: ReservationStatus;
  expires_at: Date;
  created_by: string;
  created_at: Date;
  committed_at: Date | null;
  released_at: Date | null;
  release_reason: ReleaseReason | null;
  returned_at: Date | null;
}

export interface LineRow {
  reservation_id: string;
  sku: string;
  location_id: string;
  quantity: number;
}

export interface ReservationView {
  id: string;
  reference: Reference;
  status: ReservationStatus;
  lines: { sku: string; quantity: number; allocations: { locationId: string; quantity: number }[] }[];
  expiresAt: string;
  createdAt: string;
  createdBy: string;
  committedAt: string | null;
  releasedAt: string | null;
  releaseReason: ReleaseReason | null;
  returnedAt: string | null;
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

/** Lines grouped by SKU, with where each SKU's units are held. */
export function groupLines(lines: Pick<LineRow, 'sku' | 'location_id' | 'quantity'>[]): ReservationView['lines'] {
  const bySku = new Map<string, ReservationView['lines'][number]>();
  const sorted = [...lines].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.location_id < b.location_id ? -1 : 1));
  for (const line of sorted) {
    const entry = bySku.get(line.sku) ?? { sku: line.sku, quantity: 0, allocations: [] };
    entry.quantity += line.quantity;
    entry.allocations.push({ locationId: line.location_id, quantity: line.quantity });
    bySku.set(line.sku, entry);
  }
  return [...bySku.values()];
}

export function reservationView(row: ReservationRow, lines: LineRow[]): ReservationView {
  return {
    id: row.id,
    reference: { kind: row.reference_kind, id: row.reference_id },
    status: row.status,
    lines: groupLines(lines),
    expiresAt: new Date(row.expires_at).toISOString(),
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
    committedAt: iso(row.committed_at),
    releasedAt: iso(row.released_at),
    releaseReason: row.release_reason,
    returnedAt: iso(row.returned_at),
  };
}

export class ReservationStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Claims the reference for a new reservation. Returns false when the
   * reference already has one — including one a concurrent transaction has
   * just inserted: the unique index makes this wait for it to commit or roll back.
   */
  async claim(row: ReservationRow, trx: Knex.Transaction): Promise<boolean> {
    const inserted = await trx(T.reservations).insert(row).onConflict(['reference_kind', 'reference_id']).ignore().returning('id');
    return inserted.length === 1;
  }

  /** Gives up a claim made in this transaction (the reservation could not be made). */
  async unclaim(id: string, trx: Knex.Transaction): Promise<void> {
    await trx(T.reservations).where({ id }).delete();
  }

  async byReference(reference: Reference, db: Knex | Knex.Transaction = this.knex, forUpdate = false): Promise<ReservationRow | undefined> {
    const query = db<ReservationRow>(T.reservations).where({ reference_kind: reference.kind, reference_id: reference.id });
    if (forUpdate) void query.forUpdate();
    return query.first();
  }

  async byId(id: string, db: Knex | Knex.Transaction = this.knex): Promise<ReservationRow | undefined> {
    return db<ReservationRow>(T.reservations).where({ id }).first();
  }

  async lines(ids: string[], db: Knex | Knex.Transaction = this.knex): Promise<LineRow[]> {
    if (ids.length === 0) return [];
    return db<LineRow>(T.lines).whereIn('reservation_id', ids).orderBy([{ column: 'sku' }, { column: 'location_id' }]);
  }

  async insertLines(reservationId: string, allocations: Allocation[], trx: Knex.Transaction): Promise<void> {
    await trx(T.lines).insert(allocations.map((a) => ({ reservation_id: reservationId, sku: a.sku, location_id: a.locationId, quantity: a.quantity })));
  }

  /**
   * Locks up to `limit` active reservations that expired by `now`, skipping any
   * another transaction holds (a concurrent sweeper, or a commit or release in
   * flight), so sweepers never wait for each other or take the same one twice.
   */
  async claimExpired(now: Date, limit: number, trx: Knex.Transaction): Promise<ReservationRow[]> {
    return trx<ReservationRow>(T.reservations)
      .where({ status: 'active' })
      .andWhere('expires_at', '<=', now)
      .orderBy([{ column: 'expires_at' }, { column: 'id' }])
      .limit(limit)
      .forUpdate()
      .skipLocked();
  }

  async markCommitted(ids: string[], now: Date, trx: Knex.Transaction): Promise<ReservationRow[]> {
    return trx<ReservationRow>(T.reservations).whereIn('id', ids).andWhere({ status: 'active' }).update({ status: 'committed', committed_at: now }).returning('*');
  }

  async markReturned(id: string, now: Date, trx: Knex.Transaction): Promise<ReservationRow | undefined> {
    const [row] = await trx<ReservationRow>(T.reservations).where({ id, status: 'committed' }).update({ status: 'returned', returned_at: now }).returning('*');
    return row;
  }

  async markReleased(ids: string[], reason: ReleaseReason, now: Date, trx: Knex.Transaction): Promise<ReservationRow[]> {
    return trx<ReservationRow>(T.reservations)
      .whereIn('id', ids)
      .andWhere({ status: 'active' })
      .update({ status: 'released', released_at: now, release_reason: reason })
      .returning('*');
  }
}
