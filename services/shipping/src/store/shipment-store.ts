/** Shipments: rows ↔ domain, an order's shipments, and the lists admins and customers see. */
import type { Knex } from 'knex';
import { decodeCursor, toPage, type Page } from '@fusioncommerce/platform';
import { Shipment, type ShipmentState, type ShipmentStatus } from '../domain/shipment.ts';

const T = 'shipping.shipments';

interface ShipmentRow {
  id: string;
  order_id: string;
  order_number: string;
  customer_id: string | null;
  email: string;
  status: ShipmentStatus;
  lines: ShipmentState['lines'];
  address: Record<string, string>;
  shipping_option: ShipmentState['shippingOption'];
  split_from: string | null;
  carrier: string | null;
  carrier_name: string | null;
  tracking_number: string | null;
  tracking_url: string | null;
  capture_on_shipment: boolean;
  payment_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  packed_at: Date | null;
  shipped_at: Date | null;
  delivered_at: Date | null;
  cancelled_at: Date | null;
}

const date = (d: Date | null): Date | null => (d ? new Date(d) : null);
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function toState(row: ShipmentRow): ShipmentState {
  return {
    id: row.id,
    orderId: row.order_id,
    orderNumber: row.order_number,
    customerId: row.customer_id,
    email: row.email,
    status: row.status,
    lines: row.lines,
    address: row.address,
    shippingOption: row.shipping_option,
    splitFrom: row.split_from,
    carrier: row.carrier,
    carrierName: row.carrier_name,
    trackingNumber: row.tracking_number,
    trackingUrl: row.tracking_url,
    captureOnShipment: row.capture_on_shipment,
    paymentId: row.payment_id,
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    packedAt: date(row.packed_at),
    shippedAt: date(row.shipped_at),
    deliveredAt: date(row.delivered_at),
    cancelledAt: date(row.cancelled_at),
  };
}

function toRow(s: ShipmentState) {
  return {
    id: s.id,
    order_id: s.orderId,
    order_number: s.orderNumber,
    customer_id: s.customerId,
    email: s.email,
    status: s.status,
    lines: JSON.stringify(s.lines),
    address: JSON.stringify(s.address),
    shipping_option: s.shippingOption ? JSON.stringify(s.shippingOption) : null,
    split_from: s.splitFrom,
    carrier: s.carrier,
    carrier_name: s.carrierName,
    tracking_number: s.trackingNumber,
    tracking_url: s.trackingUrl,
    capture_on_shipment: s.captureOnShipment,
    payment_id: s.paymentId,
    version: s.version,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    packed_at: s.packedAt,
    shipped_at: s.shippedAt,
    delivered_at: s.deliveredAt,
    cancelled_at: s.cancelledAt,
  };
}

export interface ShipmentView {
  id: string;
  orderId: string;
  orderNumber: string;
  customerId: string | null;
  email: string;
  status: ShipmentStatus;
  lines: ShipmentState['lines'];
  shippingAddress: Record<string, string>;
  shippingOption: ShipmentState['shippingOption'];
  splitFrom: string | null;
  carrier: string | null;
  carrierName: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  packedAt: string | null;
  shippedAt: string | null;
  deliveredAt: string | null;
  cancelledAt: string | null;
}

export function shipmentView(s: ShipmentState): ShipmentView {
  return {
    id: s.id,
    orderId: s.orderId,
    orderNumber: s.orderNumber,
    customerId: s.customerId,
    email: s.email,
    status: s.status,
    lines: s.lines,
    shippingAddress: s.address,
    shippingOption: s.shippingOption,
    splitFrom: s.splitFrom,
    carrier: s.carrier,
    carrierName: s.carrierName,
    trackingNumber: s.trackingNumber,
    trackingUrl: s.trackingUrl,
    version: s.version,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    packedAt: iso(s.packedAt),
    shippedAt: iso(s.shippedAt),
    deliveredAt: iso(s.deliveredAt),
    cancelledAt: iso(s.cancelledAt),
  };
}

export interface ShipmentFilter {
  status?: ShipmentStatus;
  orderId?: string;
  customerId?: string;
  carrier?: string;
  trackingNumber?: string;
  createdFrom?: string;
  createdTo?: string;
  limit: number;
  cursor?: string;
}

const SORT = 'created_desc';

export class ShipmentStore {
  constructor(private readonly knex: Knex) {}

  async load(id: string, db: Knex | Knex.Transaction = this.knex, forUpdate = false): Promise<Shipment | undefined> {
    const query = db<ShipmentRow>(T).where({ id }).first();
    if (forUpdate) void query.forUpdate();
    const row = await query;
    return row ? Shipment.restore(toState(row)) : undefined;
  }

  /** An order's shipments, oldest first; locked when the caller is about to change one of them. */
  async ofOrder(orderId: string, db: Knex | Knex.Transaction = this.knex, forUpdate = false): Promise<Shipment[]> {
    const query = db<ShipmentRow>(T).where({ order_id: orderId }).orderBy([{ column: 'created_at' }, { column: 'id' }]);
    if (forUpdate) void query.forUpdate();
    return ((await query) as ShipmentRow[]).map((r) => Shipment.restore(toState(r)));
  }

  async insert(shipment: Shipment, trx: Knex.Transaction): Promise<void> {
    await trx(T).insert(toRow(shipment.snapshot()));
  }

  async update(shipment: Shipment, trx: Knex.Transaction): Promise<void> {
    const { id, created_at: _created, ...row } = toRow(shipment.snapshot());
    await trx(T).where({ id }).update(row);
  }

  async list(filter: ShipmentFilter): Promise<Page<ShipmentView>> {
    const query = this.knex<ShipmentRow>(T)
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
      .limit(filter.limit + 1);
    if (filter.status) void query.where('status', filter.status);
    if (filter.orderId) void query.where('order_id', filter.orderId);
    if (filter.customerId) void query.where('customer_id', filter.customerId);
    if (filter.carrier) void query.where('carrier', filter.carrier);
    if (filter.trackingNumber) void query.where('tracking_number', filter.trackingNumber);
    if (filter.createdFrom) void query.where('created_at', '>=', filter.createdFrom);
    if (filter.createdTo) void query.where('created_at', '<', filter.createdTo);
    if (filter.cursor) {
      const position = decodeCursor(filter.cursor, SORT, { id: 'uuid', value: 'timestamp' });
      void query.whereRaw('(created_at, id) < (?::timestamptz, ?::uuid)', [String(position.value), position.id]);
    }
    const rows = (await query) as ShipmentRow[];
    return toPage(rows.map((r) => shipmentView(toState(r))), filter.limit, (s) => ({ sort: SORT, value: s.createdAt, id: s.id }));
  }
}
