/**
 * The read side: what admins list and filter, and what shoppers are told.
 * Plain reads, no locks; every list is keyset-paginated.
 */
import type { Knex } from 'knex';
import { AppError, decodeCursor, toPage, type CursorPosition, type Page } from '@fusioncommerce/platform';
import { SKU, stockState, type MovementKind, type StockState } from '../domain/stock.ts';
import type { ReferenceKind, ReservationStatus } from '../domain/reservation.ts';
import { reservationView, type LineRow, type ReservationRow, type ReservationView } from './reservation-store.ts';
import { isUuid } from './location-store.ts';
import type { MovementRow } from './stock-store.ts';

export interface ItemSummary {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  lowStockThreshold: number | null;
  /** The threshold in force: the SKU's own, or the service default. */
  effectiveThreshold: number;
  state: StockState;
}

export interface LevelView {
  sku: string;
  locationId: string;
  locationCode: string;
  onHand: number;
  reserved: number;
  available: number;
  updatedAt: string;
}

export interface ItemDetail extends ItemSummary {
  levels: LevelView[];
}

export interface MovementView {
  id: string;
  sku: string;
  locationId: string;
  kind: MovementKind;
  onHandDelta: number;
  reservedDelta: number;
  onHand: number;
  reserved: number;
  available: number;
  reason: string | null;
  actor: string;
  reservationId: string | null;
  reference: string | null;
  createdAt: string;
}

export const movementView = (row: MovementRow): MovementView => ({
  id: row.id,
  sku: row.sku,
  locationId: row.location_id,
  kind: row.kind,
  onHandDelta: row.on_hand_delta,
  reservedDelta: row.reserved_delta,
  onHand: row.on_hand_after,
  reserved: row.reserved_after,
  available: row.on_hand_after - row.reserved_after,
  reason: row.reason,
  actor: row.actor,
  reservationId: row.reservation_id,
  reference: row.reference,
  createdAt: new Date(row.created_at).toISOString(),
});

export interface Availability {
  sku: string;
  available: number;
  threshold: number;
}

/** A cursor of ours whose parts have the types its sort needs; anything else is the kernel's clear 400. */
function cursorFor(cursor: string, sort: string, parts: { value?: 'sku'; id: 'uuid' | 'sku' }): CursorPosition {
  const position = decodeCursor(cursor, sort);
  const isSku = (v: unknown): boolean => typeof v === 'string' && SKU.test(v);
  const valueOk = parts.value === undefined ? position.value === null : isSku(position.value);
  const idOk = parts.id === 'uuid' ? isUuid(position.id) : isSku(position.id);
  if (!valueOk || !idOk) {
    throw new AppError('REQUEST.INVALID_CURSOR', 'invalid', 'The cursor is not one this list handed out; start again without it.', {
      errors: [{ pointer: '/querystring/cursor', message: 'is not a valid cursor' }],
    });
  }
  return position;
}

interface TotalsRow {
  sku: string;
  low_stock_threshold: number | null;
  on_hand: number | string | bigint;
  reserved: number | string | bigint;
}

function summary(row: TotalsRow, defaultThreshold: number): ItemSummary {
  const onHand = Number(row.on_hand);
  const reserved = Number(row.reserved);
  const effectiveThreshold = row.low_stock_threshold ?? defaultThreshold;
  return {
    sku: row.sku,
    onHand,
    reserved,
    available: onHand - reserved,
    lowStockThreshold: row.low_stock_threshold,
    effectiveThreshold,
    state: stockState(onHand - reserved, effectiveThreshold),
  };
}

export interface ItemFilter {
  skus?: string[];
  prefix?: string;
  state?: StockState;
  limit: number;
  cursor?: string;
}

export interface LevelFilter {
  locationId?: string;
  sku?: string;
  prefix?: string;
  limit: number;
  cursor?: string;
}

export interface MovementFilter {
  sku?: string;
  locationId?: string;
  kind?: MovementKind;
  reservationId?: string;
  reference?: string;
  limit: number;
  cursor?: string;
}

export interface ReservationFilter {
  status?: ReservationStatus;
  referenceKind?: ReferenceKind;
  referenceId?: string;
  limit: number;
  cursor?: string;
}

export class StockQueries {
  constructor(private readonly knex: Knex) {}

  /** Per-SKU totals across locations, in SKU order. */
  async items(filter: ItemFilter, defaultThreshold: number): Promise<Page<ItemSummary>> {
    const after = filter.cursor ? cursorFor(filter.cursor, 'sku', { id: 'sku' }).id : undefined;
    const where: string[] = [];
    const bindings: Knex.RawBinding[] = [];
    if (after !== undefined) {
      where.push('i.sku > ?');
      bindings.push(after);
    }
    if (filter.skus) {
      where.push('i.sku = any(?::text[])');
      bindings.push(filter.skus);
    }
    if (filter.prefix) {
      where.push('starts_with(i.sku, ?)');
      bindings.push(filter.prefix);
    }
    const available = 'coalesce(sum(s.on_hand - s.reserved), 0)';
    const threshold = 'coalesce(i.low_stock_threshold, ?::int)';
    const having =
      filter.state === 'out_of_stock'
        ? `having ${available} <= 0`
        : filter.state === 'low_stock'
          ? `having ${available} > 0 and ${available} <= ${threshold}`
          : filter.state === 'in_stock'
            ? `having ${available} > ${threshold}`
            : '';
    const havingBindings = filter.state === 'low_stock' || filter.state === 'in_stock' ? [defaultThreshold] : [];
    const { rows } = (await this.knex.raw(
      `select i.sku, i.low_stock_threshold, coalesce(sum(s.on_hand), 0)::bigint as on_hand, coalesce(sum(s.reserved), 0)::bigint as reserved
         from inventory.items i
         left join inventory.stock_levels s on s.sku = i.sku
        ${where.length ? `where ${where.join(' and ')}` : ''}
        group by i.sku
        ${having}
        order by i.sku
        limit ?`,
      [...bindings, ...havingBindings, filter.limit + 1],
    )) as { rows: TotalsRow[] };
    return toPage(
      rows.map((r) => summary(r, defaultThreshold)),
      filter.limit,
      (item) => ({ sort: 'sku', value: null, id: item.sku }),
    );
  }

  async item(sku: string, defaultThreshold: number): Promise<ItemDetail | undefined> {
    const page = await this.items({ skus: [sku], limit: 1 }, defaultThreshold);
    const item = page.data[0];
    if (!item) return undefined;
    const levels = await this.knex('inventory.stock_levels as s')
      .join('inventory.locations as l', 'l.id', 's.location_id')
      .where('s.sku', sku)
      .orderBy([{ column: 'l.priority' }, { column: 'l.code' }])
      .select<{ sku: string; location_id: string; code: string; on_hand: number; reserved: number; updated_at: Date }[]>(
        's.sku',
        's.location_id',
        'l.code',
        's.on_hand',
        's.reserved',
        's.updated_at',
      );
    return { ...item, levels: levels.map((l) => levelView(l)) };
  }

  /** Levels per SKU and location, in (sku, location) order. */
  async levels(filter: LevelFilter): Promise<Page<LevelView>> {
    const query = this.knex('inventory.stock_levels as s')
      .join('inventory.locations as l', 'l.id', 's.location_id')
      .orderBy([{ column: 's.sku' }, { column: 's.location_id' }])
      .limit(filter.limit + 1)
      .select('s.sku', 's.location_id', 'l.code', 's.on_hand', 's.reserved', 's.updated_at');
    if (filter.cursor) {
      const position = cursorFor(filter.cursor, 'level', { value: 'sku', id: 'uuid' });
      void query.whereRaw('(s.sku, s.location_id) > (?, ?::uuid)', [position.value, position.id]);
    }
    if (filter.locationId) void query.where('s.location_id', filter.locationId);
    if (filter.sku) void query.where('s.sku', filter.sku);
    if (filter.prefix) void query.whereRaw('starts_with(s.sku, ?)', [filter.prefix]);
    const rows = (await query) as Parameters<typeof levelView>[0][];
    return toPage(rows.map(levelView), filter.limit, (l) => ({ sort: 'level', value: l.sku, id: l.locationId }));
  }

  /** What can be sold now, per SKU (only tracked SKUs come back). */
  async availability(skus: string[], defaultThreshold: number): Promise<Availability[]> {
    const { rows } = (await this.knex.raw(
      `select i.sku, coalesce(i.low_stock_threshold, ?::int) as threshold, coalesce(sum(s.on_hand - s.reserved), 0)::bigint as available
         from inventory.items i
         left join inventory.stock_levels s on s.sku = i.sku
        where i.sku = any(?::text[])
        group by i.sku`,
      [defaultThreshold, skus],
    )) as { rows: { sku: string; threshold: number; available: number | string | bigint }[] };
    return rows.map((r) => ({ sku: r.sku, available: Number(r.available), threshold: r.threshold }));
  }

  /** The movement log, newest first. */
  async movements(filter: MovementFilter): Promise<Page<MovementView>> {
    const query = this.knex<MovementRow>('inventory.movements').orderBy('id', 'desc').limit(filter.limit + 1);
    if (filter.cursor) void query.where('id', '<', cursorFor(filter.cursor, 'movement', { id: 'uuid' }).id);
    if (filter.sku) void query.where('sku', filter.sku);
    if (filter.locationId) void query.where('location_id', filter.locationId);
    if (filter.kind) void query.where('kind', filter.kind);
    if (filter.reservationId) void query.where('reservation_id', filter.reservationId);
    if (filter.reference) void query.where('reference', filter.reference);
    const rows = await query;
    return toPage(rows.map(movementView), filter.limit, (m) => ({ sort: 'movement', value: null, id: m.id }));
  }

  /** Reservations, newest first. */
  async reservations(filter: ReservationFilter): Promise<Page<ReservationView>> {
    const query = this.knex<ReservationRow>('inventory.reservations').orderBy('id', 'desc').limit(filter.limit + 1);
    if (filter.cursor) void query.where('id', '<', cursorFor(filter.cursor, 'reservation', { id: 'uuid' }).id);
    if (filter.status) void query.where('status', filter.status);
    if (filter.referenceKind) void query.where('reference_kind', filter.referenceKind);
    if (filter.referenceId) void query.where('reference_id', filter.referenceId);
    const rows = await query;
    const lines = rows.length ? await this.knex<LineRow>('inventory.reservation_lines').whereIn('reservation_id', rows.map((r) => r.id)) : [];
    const views = rows.map((r) => reservationView(r, lines.filter((l) => l.reservation_id === r.id)));
    return toPage(views, filter.limit, (r) => ({ sort: 'reservation', value: null, id: r.id }));
  }
}

function levelView(row: { sku: string; location_id: string; code: string; on_hand: number; reserved: number; updated_at: Date }): LevelView {
  return {
    sku: row.sku,
    locationId: row.location_id,
    locationCode: row.code,
    onHand: row.on_hand,
    reserved: row.reserved,
    available: row.on_hand - row.reserved,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
