/**
 * The write side of stock: tracked SKUs, levels and the movement log. Every
 * change locks the levels of the SKUs it touches first, always in (sku,
 * location) order, so concurrent changes queue instead of deadlocking, and
 * then writes values computed from what it locked.
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import type { AppliedChange, Level, LocationRank } from '../domain/stock.ts';

export interface LockedLevel extends Level, LocationRank {
  /** The SKU's own threshold; null when it uses the service default. */
  threshold: number | null;
}

export interface MovementRow {
  id: string;
  sku: string;
  location_id: string;
  kind: AppliedChange['kind'];
  on_hand_delta: number;
  reserved_delta: number;
  on_hand_after: number;
  reserved_after: number;
  reason: string | null;
  actor: string;
  reservation_id: string | null;
  reference: string | null;
  created_at: Date;
}

export interface ItemRow {
  sku: string;
  low_stock_threshold: number | null;
  created_at: Date;
  updated_at: Date;
}

export class StockStore {
  constructor(private readonly knex: Knex) {}

  /** The tracked SKUs among `skus`, with their own thresholds. */
  async items(skus: string[], db: Knex | Knex.Transaction = this.knex): Promise<Map<string, ItemRow>> {
    if (skus.length === 0) return new Map();
    const rows = await db<ItemRow>('inventory.items').whereIn('sku', skus);
    return new Map(rows.map((r) => [r.sku, r]));
  }

  /** Starts tracking SKUs; ones already tracked are left as they are. Returns the SKUs added. */
  async insertItems(items: { sku: string; threshold: number | null }[], now: Date, trx: Knex.Transaction): Promise<string[]> {
    if (items.length === 0) return [];
    const inserted: string[] = [];
    for (let i = 0; i < items.length; i += 500) {
      const rows = await trx('inventory.items')
        .insert(items.slice(i, i + 500).map((item) => ({ sku: item.sku, low_stock_threshold: item.threshold, created_at: now, updated_at: now })))
        .onConflict('sku')
        .ignore()
        .returning('sku');
      inserted.push(...rows.map((r: { sku: string }) => r.sku));
    }
    return inserted;
  }

  /** Locks the SKU's item row and returns it (threshold changes are serialised per SKU). */
  async lockItem(sku: string, trx: Knex.Transaction): Promise<ItemRow | undefined> {
    return trx<ItemRow>('inventory.items').where({ sku }).forUpdate().first();
  }

  async setThreshold(sku: string, threshold: number | null, now: Date, trx: Knex.Transaction): Promise<ItemRow> {
    const [row] = await trx<ItemRow>('inventory.items').where({ sku }).update({ low_stock_threshold: threshold, updated_at: now }).returning('*');
    return row as ItemRow;
  }

  /** Makes sure the levels exist (at zero) so they can be locked and changed. */
  async ensureLevels(pairs: { sku: string; locationId: string }[], trx: Knex.Transaction): Promise<void> {
    const unique = [...new Map(pairs.map((p) => [`${p.sku}\u0000${p.locationId}`, p])).values()];
    if (unique.length === 0) return;
    await trx('inventory.stock_levels')
      .insert(unique.map((p) => ({ sku: p.sku, location_id: p.locationId, on_hand: 0, reserved: 0 })))
      .onConflict(['sku', 'location_id'])
      .ignore();
  }

  /**
   * Locks every level of these SKUs, at every location, in (sku, location id)
   * order — the one order all writers use — and returns them with what
   * allocation needs to know about their locations.
   */
  async lockLevels(skus: string[], trx: Knex.Transaction): Promise<LockedLevel[]> {
    if (skus.length === 0) return [];
    const { rows } = (await trx.raw(
      `select s.sku, s.location_id, s.on_hand, s.reserved, l.priority, l.code, l.archived_at is not null as archived, i.low_stock_threshold
         from inventory.stock_levels s
         join inventory.locations l on l.id = s.location_id
         join inventory.items i on i.sku = s.sku
        where s.sku = any(?::text[])
        order by s.sku, s.location_id
        for update of s`,
      [[...new Set(skus)]],
    )) as {
      rows: {
        sku: string;
        location_id: string;
        on_hand: number;
        reserved: number;
        priority: number;
        code: string;
        archived: boolean;
        low_stock_threshold: number | null;
      }[];
    };
    return rows.map((r) => ({
      sku: r.sku,
      locationId: r.location_id,
      onHand: r.on_hand,
      reserved: r.reserved,
      priority: r.priority,
      code: r.code,
      archived: r.archived,
      threshold: r.low_stock_threshold,
    }));
  }

  /**
   * Writes new values for levels locked by this transaction. Each row is
   * matched on the values it was locked with too: if that ever failed to
   * match, the lock discipline was broken, and the whole change rolls back.
   */
  async write(changed: { before: Level; after: Level }[], now: Date, trx: Knex.Transaction): Promise<void> {
    if (changed.length === 0) return;
    const col = <K extends keyof Level>(side: 'before' | 'after', key: K) => changed.map((c) => c[side][key]);
    const result = (await trx.raw(
      `update inventory.stock_levels s
          set on_hand = v.on_hand, reserved = v.reserved, updated_at = ?
         from unnest(?::text[], ?::uuid[], ?::int[], ?::int[], ?::int[], ?::int[]) as v(sku, location_id, on_hand, reserved, on_hand_before, reserved_before)
        where s.sku = v.sku and s.location_id = v.location_id
          and s.on_hand = v.on_hand_before and s.reserved = v.reserved_before`,
      [
        now,
        col('after', 'sku'),
        col('after', 'locationId'),
        col('after', 'onHand'),
        col('after', 'reserved'),
        col('before', 'onHand'),
        col('before', 'reserved'),
      ],
    )) as { rowCount?: number; affectedRows?: number };
    const count = result.rowCount ?? result.affectedRows;
    if (count !== undefined && count !== changed.length) {
      throw new Error(`stock write matched ${count} of ${changed.length} locked levels`);
    }
  }

  async insertMovements(applied: AppliedChange[], actor: string, now: Date, trx: Knex.Transaction): Promise<MovementRow[]> {
    if (applied.length === 0) return [];
    const rows: MovementRow[] = applied.map((c) => ({
      id: uuidv7(),
      sku: c.sku,
      location_id: c.locationId,
      kind: c.kind,
      on_hand_delta: c.onHandDelta,
      reserved_delta: c.reservedDelta,
      on_hand_after: c.onHandAfter,
      reserved_after: c.reservedAfter,
      reason: c.reason,
      actor,
      reservation_id: c.reservationId,
      reference: c.reference,
      created_at: now,
    }));
    for (let i = 0; i < rows.length; i += 500) await trx('inventory.movements').insert(rows.slice(i, i + 500));
    return rows;
  }
}
