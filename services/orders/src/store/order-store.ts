/**
 * Orders: the row, its timeline, and the saga's outbound events, written in
 * one transaction so what the order decided and what it tells the others
 * never disagree.
 */
import type { Knex } from 'knex';
import { OrderCancelled, OrderConfirmed, OrderPlaced, PaymentRequested, RefundRequested, type EventData } from '@fusioncommerce/contracts';
import { recordEvents, type NewEvent } from '@fusioncommerce/platform';
import type { Order, OrderEvent, OrderState } from '../domain/order.ts';

export interface OrderRow {
  id: string;
  number: string;
  cart_id: string | null;
  customer_id: string | null;
  email: string;
  currency: string;
  lines: OrderState['lines'];
  subtotal: number;
  shipping_total: number;
  total: number;
  shipping_address: Record<string, string>;
  shipping_option?: OrderState['shippingOption'];
  shipments?: TrackedShipment[];
  status: OrderState['status'];
  stock_state: OrderState['stock'];
  payment_state: OrderState['payment'];
  payment_id: string | null;
  payment_method: string | null;
  refunded: number;
  reason: string | null;
  version: number;
  idempotency_key: string | null;
  request_hash: string | null;
  placed_at: Date;
  updated_at: Date;
}

/** What orders knows of a shipment of the order: its tracking, from shipping's events. */
export interface TrackedShipment {
  shipmentId: string;
  status: string;
  carrier: string | null;
  carrierName: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  lines: { sku: string; quantity: number }[];
  shippedAt: string | null;
  deliveredAt: string | null;
}

export function toState(row: OrderRow): OrderState {
  return {
    id: row.id,
    number: row.number,
    cartId: row.cart_id,
    customerId: row.customer_id,
    email: row.email,
    currency: row.currency,
    lines: row.lines,
    subtotal: Number(row.subtotal),
    shippingTotal: Number(row.shipping_total),
    total: Number(row.total),
    shippingAddress: row.shipping_address,
    shippingOption: row.shipping_option ?? null,
    status: row.status,
    stock: row.stock_state,
    payment: row.payment_state,
    paymentId: row.payment_id,
    refunded: Number(row.refunded),
    reason: row.reason,
    version: row.version,
    placedAt: new Date(row.placed_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** The next order number (`FC-` and a sequence): never reused; an order rolled back leaves a gap. */
export async function nextOrderNumber(trx: Knex.Transaction): Promise<string> {
  const { rows } = (await trx.raw(`select nextval('orders.order_number_seq') as n`)) as { rows: { n: number | string }[] };
  return `FC-${rows[0]?.n}`;
}

export async function findOrderRow(db: Knex | Knex.Transaction, id: string, forUpdate = false): Promise<OrderRow | undefined> {
  const query = db('orders.orders').where({ id }).first<OrderRow | undefined>();
  if (forUpdate) void query.forUpdate();
  return query;
}

function money(amount: number, currency: string) {
  return { amount, currency };
}

function confirmedEvent(s: OrderState, how: { capture: boolean; source?: 'group' }): NewEvent {
  return {
    type: OrderConfirmed.type,
    subject: s.id,
    data: {
      orderId: s.id,
      number: s.number,
      paymentId: s.paymentId ?? '',
      total: money(s.total, s.currency),
      capture: how.capture,
      email: s.email,
      customerId: s.customerId,
      lines: s.lines.map((l) => ({ variantId: l.variantId, sku: l.sku, title: l.title, quantity: l.quantity })),
      shippingAddress: s.shippingAddress,
      shippingOption: s.shippingOption
        ? { id: s.shippingOption.id, name: s.shippingOption.name, carrier: s.shippingOption.carrier, amount: money(s.shippingOption.amount, s.currency) }
        : null,
      ...(how.source ? { source: how.source } : {}),
    } satisfies EventData<typeof OrderConfirmed>,
  };
}

/** What the timeline keeps of a domain event: its entry type and facts. */
function timelineEntry(event: OrderEvent): { type: string; data: Record<string, unknown> } {
  switch (event.type) {
    case 'note':
      return { type: event.what, data: event.data ?? {} };
    case 'cancelled':
      return { type: event.type, data: { reason: event.reason } };
    case 'refund_requested':
      return { type: event.type, data: { amount: event.amount, reason: event.reason } };
    case 'placed_by_group':
      return { type: 'placed', data: { source: 'group', ...event.origin } };
    default:
      return { type: event.type, data: {} };
  }
}

/** The integration event for a domain event, or nothing for timeline-only notes. */
function integrationEvent(s: OrderState, event: OrderEvent, paymentMethod: string | null, capture: boolean): NewEvent | undefined {
  const subject = s.id;
  switch (event.type) {
    case 'placed':
      return {
        type: OrderPlaced.type,
        subject,
        data: {
          orderId: s.id,
          number: s.number,
          customerId: s.customerId,
          email: s.email,
          lines: s.lines.map((l) => ({ variantId: l.variantId, sku: l.sku, quantity: l.quantity, unitPrice: money(l.unitPrice, s.currency) })),
          total: money(s.total, s.currency),
        } satisfies EventData<typeof OrderPlaced>,
      };
    case 'payment_requested':
      return {
        type: PaymentRequested.type,
        subject,
        data: { orderId: s.id, amount: money(s.total, s.currency), paymentMethod: paymentMethod ?? '', email: s.email } satisfies EventData<typeof PaymentRequested>,
      };
    case 'confirmed':
      return confirmedEvent(s, { capture });
    case 'placed_by_group':
      // Already paid and sold: nothing to capture, commit or reserve; shipping ships it.
      return confirmedEvent(s, { capture: true, source: 'group' });
    case 'cancelled':
      return {
        type: OrderCancelled.type,
        subject,
        data: {
          orderId: s.id,
          number: s.number,
          reason: event.reason,
          releaseStock: event.releaseStock,
          voidOrRefundPayment: event.voidOrRefund,
          paymentId: s.paymentId,
          email: s.email,
        } satisfies EventData<typeof OrderCancelled>,
      };
    case 'refund_requested':
      return {
        type: RefundRequested.type,
        subject,
        data: { orderId: s.id, paymentId: s.paymentId ?? '', amount: money(event.amount, s.currency), reason: event.reason } satisfies EventData<typeof RefundRequested>,
      };
    case 'note':
      return undefined;
  }
}

export interface SaveOptions {
  /** Set when the order is new (with its checkout idempotency; a group order has neither, nor a payment method to hand on). */
  insert?: { idempotencyKey: string | null; requestHash: string | null; paymentMethod: string | null };
  /** Take the money as soon as the order is confirmed. */
  captureOnConfirm: boolean;
  /** Who or what caused the change, for the timeline. */
  cause: string;
  /** The payment method the stored row still holds (it is handed to payments once, with the payment request). */
  storedPaymentMethod?: string | null;
}

export async function saveOrder(trx: Knex.Transaction, order: Order, options: SaveOptions): Promise<OrderEvent[]> {
  const s = order.snapshot();
  const events = order.pullEvents();
  const row = {
    status: s.status,
    stock_state: s.stock,
    payment_state: s.payment,
    payment_id: s.paymentId,
    refunded: s.refunded,
    reason: s.reason,
    version: s.version,
    updated_at: s.updatedAt,
  };
  let paymentMethod: string | null = options.insert?.paymentMethod ?? null;
  const group = events.find((e) => e.type === 'placed_by_group');
  if (options.insert) {
    await trx('orders.orders').insert({
      ...row,
      id: s.id,
      number: s.number,
      cart_id: s.cartId,
      customer_id: s.customerId,
      email: s.email,
      currency: s.currency,
      lines: JSON.stringify(s.lines),
      subtotal: s.subtotal,
      shipping_total: s.shippingTotal,
      total: s.total,
      shipping_address: JSON.stringify(s.shippingAddress),
      shipping_option: s.shippingOption ? JSON.stringify(s.shippingOption) : null,
      payment_method: options.insert.paymentMethod,
      idempotency_key: options.insert.idempotencyKey,
      request_hash: options.insert.requestHash,
      placed_at: s.placedAt,
      ...(group ? { source: 'group', group_participation_id: group.origin.participationId } : {}),
    });
  } else {
    if (events.some((e) => e.type === 'payment_requested')) {
      paymentMethod =
        options.storedPaymentMethod !== undefined
          ? options.storedPaymentMethod
          : ((await trx('orders.orders').where({ id: s.id }).first<{ payment_method: string | null }>('payment_method'))?.payment_method ?? null);
    }
    // The payment method is handed to payments once, then forgotten.
    await trx('orders.orders').where({ id: s.id }).update({ ...row, ...(paymentMethod !== null ? { payment_method: null } : {}) });
  }
  if (events.length) {
    await trx('orders.order_timeline').insert(
      events.map((e) => {
        const entry = timelineEntry(e);
        return { order_id: s.id, at: s.updatedAt, type: entry.type, status: s.status, data: JSON.stringify({ cause: options.cause, ...entry.data }) };
      }),
    );
    const outbound = events.map((e) => integrationEvent(s, e, paymentMethod, options.captureOnConfirm)).filter((e): e is NewEvent => e !== undefined);
    await recordEvents(trx, 'orders', outbound);
  }
  return events;
}

/** A later report of a shipment keeps what an earlier one said and it leaves out (null). */
function mergeKnown(before: TrackedShipment, after: TrackedShipment): TrackedShipment {
  const merged = { ...before };
  for (const [key, value] of Object.entries(after) as [keyof TrackedShipment, TrackedShipment[keyof TrackedShipment]][]) {
    if (value !== null) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

/** Records a shipment's tracking on its order (added, or updated as it moves). */
export async function trackShipment(trx: Knex.Transaction, orderId: string, shipment: TrackedShipment): Promise<void> {
  const row = await trx('orders.orders').where({ id: orderId }).forUpdate().first<{ shipments: TrackedShipment[] | null } | undefined>('shipments');
  if (!row) return;
  const current = row.shipments ?? [];
  const next = current.some((x) => x.shipmentId === shipment.shipmentId)
    ? current.map((x) => (x.shipmentId === shipment.shipmentId ? mergeKnown(x, shipment) : x))
    : [...current, shipment];
  await trx('orders.orders').where({ id: orderId }).update({ shipments: JSON.stringify(next) });
}
