/**
 * Shipments: created when an order is confirmed, packed, shipped (all or some
 * lines), delivered, or called off with their order. Each change locks the
 * order's shipments, so "first to ship" and "all shipped" are decided once,
 * and records its event in the same transaction.
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import {
  type OrderConfirmed,
  ShipmentCancelled,
  ShipmentCreated,
  ShipmentDelivered,
  ShipmentShipped,
  type EventData,
} from '@fusioncommerce/contracts';
import { recordEvents, type NewEvent, type Principal } from '@fusioncommerce/platform';
import { ShippingError } from '../domain/errors.ts';
import { Shipment, type ShipmentState } from '../domain/shipment.ts';
import { SHIPPING_SCHEMA } from '../migrations.ts';
import type { ShipBody } from '../schemas/shipping.ts';
import { shipmentView, type ShipmentView } from '../store/shipment-store.ts';
import type { ShippingDeps } from './deps.ts';

const facts = (s: ShipmentState) => ({
  shipmentId: s.id,
  orderId: s.orderId,
  orderNumber: s.orderNumber,
  customerId: s.customerId,
  lines: s.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
});

const created = (s: ShipmentState): NewEvent => ({
  type: ShipmentCreated.type,
  subject: s.orderId,
  data: { ...facts(s), splitFrom: s.splitFrom } satisfies EventData<typeof ShipmentCreated>,
});

/** Creates the order's shipment from its confirmation; a second confirmation of the same order finds it made. */
export async function createShipmentForOrder(deps: ShippingDeps, trx: Knex.Transaction, order: EventData<typeof OrderConfirmed>): Promise<Shipment | undefined> {
  if (!order.lines || order.lines.length === 0) return undefined; // recorded before orders said what to ship
  const existing = await deps.shipments.ofOrder(order.orderId, trx);
  if (existing.length > 0) return undefined;
  const shipment = Shipment.create(
    {
      id: uuidv7(),
      orderId: order.orderId,
      orderNumber: order.number,
      customerId: order.customerId ?? null,
      email: order.email,
      lines: order.lines.map((l) => ({ sku: l.sku, variantId: l.variantId, title: l.title, quantity: l.quantity })),
      address: order.shippingAddress ?? {},
      shippingOption: order.shippingOption ?? null,
      captureOnShipment: !order.capture,
      paymentId: order.paymentId || null,
    },
    deps.now(),
  );
  await deps.shipments.insert(shipment, trx);
  await recordEvents(trx, SHIPPING_SCHEMA, [created(shipment.snapshot())]);
  return shipment;
}

/** The order was cancelled: whatever has not left is called off. */
export async function cancelShipmentsOfOrder(deps: ShippingDeps, trx: Knex.Transaction, orderId: string): Promise<number> {
  const now = deps.now();
  const events: NewEvent[] = [];
  for (const shipment of await deps.shipments.ofOrder(orderId, trx, true)) {
    if (!shipment.cancel(now)) continue;
    await deps.shipments.update(shipment, trx);
    events.push({ type: ShipmentCancelled.type, subject: orderId, data: facts(shipment.snapshot()) satisfies EventData<typeof ShipmentCancelled> });
  }
  await recordEvents(trx, SHIPPING_SCHEMA, events);
  return events.length;
}

/** Loads a shipment with every shipment of its order locked, in one order so concurrent actions queue. */
async function lockWithSiblings(deps: ShippingDeps, trx: Knex.Transaction, id: string): Promise<{ shipment: Shipment; siblings: Shipment[] }> {
  const target = await deps.shipments.load(id, trx);
  if (!target) throw ShippingError.shipmentNotFound(id);
  const all = await deps.shipments.ofOrder(target.snapshot().orderId, trx, true);
  const shipment = all.find((s) => s.id === id);
  if (!shipment) throw ShippingError.shipmentNotFound(id);
  return { shipment, siblings: all.filter((s) => s.id !== id) };
}

export async function packShipment(deps: ShippingDeps, id: string): Promise<ShipmentView> {
  return deps.knex.transaction(async (trx) => {
    const { shipment } = await lockWithSiblings(deps, trx, id);
    shipment.pack(deps.now());
    await deps.shipments.update(shipment, trx);
    return shipmentView(shipment.snapshot());
  });
}

export interface ShipResult {
  shipment: ShipmentView;
  /** What stayed behind when only some lines shipped: a new pending shipment of the order. */
  remainder: ShipmentView | null;
}

export async function shipShipment(deps: ShippingDeps, id: string, input: ShipBody): Promise<ShipResult> {
  const code = input.carrier ?? 'manual';
  const carrier = deps.carriers.get(code);
  if (!carrier) throw ShippingError.unknownCarrier(code, deps.carriers.codes());
  return deps.knex.transaction(async (trx) => {
    const { shipment, siblings } = await lockWithSiblings(deps, trx, id);
    const now = deps.now();
    const firstToShip = !siblings.some((s) => s.status === 'shipped' || s.status === 'delivered');
    const remainder = shipment.ship(
      { carrier: code, carrierName: input.carrierName ?? null, trackingNumber: input.trackingNumber, trackingUrl: input.trackingUrl ?? carrier.trackingUrl(input.trackingNumber) },
      input.lines,
      now,
      uuidv7(),
    );
    await deps.shipments.update(shipment, trx);
    if (remainder) await deps.shipments.insert(remainder, trx);
    const s = shipment.snapshot();
    const allShipped = !remainder && !siblings.some((x) => x.status === 'pending' || x.status === 'packed');
    const events: NewEvent[] = [
      {
        type: ShipmentShipped.type,
        subject: s.orderId,
        data: {
          ...facts(s),
          carrier: code,
          carrierName: s.carrierName,
          trackingNumber: input.trackingNumber,
          trackingUrl: s.trackingUrl,
          shippedAt: now.toISOString(),
          allShipped,
          capturePayment: s.captureOnShipment && firstToShip,
          paymentId: s.paymentId,
        } satisfies EventData<typeof ShipmentShipped>,
      },
    ];
    if (remainder) events.push(created(remainder.snapshot()));
    await recordEvents(trx, SHIPPING_SCHEMA, events);
    return { shipment: shipmentView(s), remainder: remainder ? shipmentView(remainder.snapshot()) : null };
  });
}

export async function deliverShipment(deps: ShippingDeps, id: string): Promise<ShipmentView> {
  return deps.knex.transaction(async (trx) => {
    const { shipment, siblings } = await lockWithSiblings(deps, trx, id);
    const now = deps.now();
    shipment.deliver(now);
    await deps.shipments.update(shipment, trx);
    const s = shipment.snapshot();
    const allDelivered = siblings.every((x) => x.status === 'delivered' || x.status === 'cancelled');
    await recordEvents(trx, SHIPPING_SCHEMA, [
      {
        type: ShipmentDelivered.type,
        subject: s.orderId,
        data: { ...facts(s), trackingNumber: s.trackingNumber, deliveredAt: now.toISOString(), allDelivered } satisfies EventData<typeof ShipmentDelivered>,
      },
    ]);
    return shipmentView(s);
  });
}

const isAdmin = (principal: Principal) => principal.type === 'user' && principal.role === 'admin';

/**
 * Who may see a shipment: admins; the customer whose order it is; for a guest
 * order, whoever holds the order id (as orders shows guest orders). Anyone
 * else is told it does not exist.
 */
function visibleTo(s: ShipmentState, principal: Principal, viaOrderId: boolean): boolean {
  if (isAdmin(principal)) return true;
  if (s.customerId === null) return viaOrderId;
  return principal.type === 'user' && principal.id === s.customerId;
}

export async function getShipment(deps: ShippingDeps, id: string, principal: Principal): Promise<ShipmentView> {
  const shipment = await deps.shipments.load(id);
  if (!shipment || !visibleTo(shipment.snapshot(), principal, false)) throw ShippingError.shipmentNotFound(id);
  return shipmentView(shipment.snapshot());
}

/** An order's shipments with their tracking, for the shopper who placed it (or an admin). */
export async function shipmentsOfOrder(deps: ShippingDeps, orderId: string, principal: Principal): Promise<{ data: ShipmentView[] }> {
  const shipments = (await deps.shipments.ofOrder(orderId)).map((s) => s.snapshot());
  if (shipments.some((s) => !visibleTo(s, principal, true))) throw ShippingError.orderShipmentsNotFound(orderId);
  return { data: shipments.map(shipmentView) };
}
