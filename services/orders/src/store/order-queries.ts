/** The read side of orders: what shoppers and merchants see, lists with filters and cursors. */
import type { Knex } from 'knex';
import { decodeCursor, toPage, type Page } from '@fusioncommerce/platform';
import type { OrderRow, TrackedShipment } from './order-store.ts';

export interface OrderView {
  id: string;
  number: string;
  status: string;
  reason: string | null;
  customerId: string | null;
  email: string;
  lines: { variantId: string; sku: string; productId: string; title: string; quantity: number; unitPrice: { amount: number; currency: string }; lineTotal: { amount: number; currency: string } }[];
  subtotal: { amount: number; currency: string };
  shippingTotal: { amount: number; currency: string };
  total: { amount: number; currency: string };
  refunded: { amount: number; currency: string };
  shippingOption: { id: string; name: string; carrier: string; amount: { amount: number; currency: string } } | null;
  shipments: TrackedShipment[];
  shippingAddress: Record<string, string>;
  stock: string;
  payment: string;
  paymentId: string | null;
  placedAt: string;
  updatedAt: string;
  links: { self: string };
}

export interface TimelineEntry {
  at: string;
  type: string;
  status: string;
  data: Record<string, unknown>;
}

export function orderView(row: OrderRow): OrderView {
  const m = (amount: number) => ({ amount: Number(amount), currency: row.currency });
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    reason: row.reason,
    customerId: row.customer_id,
    email: row.email,
    lines: row.lines.map((l) => ({
      variantId: l.variantId,
      sku: l.sku,
      productId: l.productId,
      title: l.title,
      quantity: l.quantity,
      unitPrice: m(l.unitPrice),
      lineTotal: m(l.lineTotal),
    })),
    subtotal: m(row.subtotal),
    shippingTotal: m(row.shipping_total),
    total: m(row.total),
    refunded: m(row.refunded),
    shippingOption: row.shipping_option ? { ...row.shipping_option, amount: m(row.shipping_option.amount) } : null,
    shipments: row.shipments ?? [],
    shippingAddress: row.shipping_address,
    stock: row.stock_state,
    payment: row.payment_state,
    paymentId: row.payment_id,
    placedAt: new Date(row.placed_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    links: { self: `/v1/orders/${row.id}` },
  };
}

export async function timelineOf(db: Knex, orderId: string): Promise<TimelineEntry[]> {
  const rows = (await db('orders.order_timeline').where({ order_id: orderId }).orderBy('id')) as { at: Date; type: string; status: string; data: Record<string, unknown> }[];
  return rows.map((r) => ({ at: new Date(r.at).toISOString(), type: r.type, status: r.status, data: r.data }));
}

export interface OrderFilter {
  customerId?: string;
  status?: string;
  email?: string;
  placedFrom?: string;
  placedTo?: string;
  minTotal?: number;
  maxTotal?: number;
  limit: number;
  cursor?: string;
}

const SORT = 'placed_desc';

export async function listOrders(db: Knex, filter: OrderFilter): Promise<Page<OrderView>> {
  const query = db('orders.orders').select('*').orderBy([{ column: 'placed_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(filter.limit + 1);
  if (filter.customerId) void query.where('customer_id', filter.customerId);
  if (filter.status) void query.where('status', filter.status);
  if (filter.email) void query.where('email', filter.email.toLowerCase());
  if (filter.placedFrom) void query.where('placed_at', '>=', filter.placedFrom);
  if (filter.placedTo) void query.where('placed_at', '<', filter.placedTo);
  if (filter.minTotal !== undefined) void query.where('total', '>=', filter.minTotal);
  if (filter.maxTotal !== undefined) void query.where('total', '<=', filter.maxTotal);
  if (filter.cursor) {
    const position = decodeCursor(filter.cursor, SORT, { id: 'uuid', value: 'timestamp' });
    void query.whereRaw('(placed_at, id) < (?::timestamptz, ?::uuid)', [String(position.value), position.id]);
  }
  const rows = (await query) as OrderRow[];
  return toPage(rows.map(orderView), filter.limit, (o) => ({ sort: SORT, value: o.placedAt, id: o.id }));
}
