/**
 * Events the inventory service publishes. The order saga and group buying act
 * on the reservation events (subject: the reference, `order:<id>`, so one
 * order's stock events stay in order); merchants' tools act on the stock
 * events (subject: the SKU).
 */
import { Type } from 'typebox';
import { defineEvent } from './registry.ts';

const Reference = Type.Object({
  kind: Type.Enum(['order', 'group_participation']),
  id: Type.String({ minLength: 1 }),
});

const Quantity = Type.Integer({ minimum: 1 });
const Level = Type.Integer({ minimum: 0 });

const RequestedLine = Type.Object({ sku: Type.String({ minLength: 1 }), quantity: Quantity });

/** A reserved line and the locations its units are held at. */
const ReservedLine = Type.Object({
  sku: Type.String({ minLength: 1 }),
  quantity: Quantity,
  allocations: Type.Array(Type.Object({ locationId: Type.String(), quantity: Quantity }), { minItems: 1 }),
});

const ReservationFacts = {
  reservationId: Type.String(),
  reference: Reference,
  lines: Type.Array(ReservedLine, { minItems: 1 }),
};

export const StockReserved = defineEvent(
  'inventory.stock.reserved',
  'Every line of a reference was reserved (all or nothing); the hold lapses at `expiresAt` unless committed or released first.',
  Type.Object({ ...ReservationFacts, expiresAt: Type.String({ format: 'date-time' }) }),
);

export const StockReservationFailed = defineEvent(
  'inventory.stock.reservation_failed',
  'Nothing was reserved for a reference: `shortages` names each SKU without enough available stock and how much there was.',
  Type.Object({
    reference: Reference,
    lines: Type.Array(RequestedLine, { minItems: 1 }),
    shortages: Type.Array(Type.Object({ sku: Type.String(), requested: Quantity, available: Level }), { minItems: 1 }),
  }),
);

export const StockReleased = defineEvent(
  'inventory.stock.released',
  'A reservation was given back: on request (a cancelled or failed checkout) or because it expired.',
  Type.Object({ ...ReservationFacts, reason: Type.Enum(['requested', 'expired']) }),
);

export const StockCommitted = defineEvent(
  'inventory.stock.committed',
  'A reservation was sold: its units left stock on hand (and the reservation).',
  Type.Object(ReservationFacts),
);

export const StockAdjusted = defineEvent(
  'inventory.stock.adjusted',
  'Stock on hand changed at a location by a receipt or an adjustment; `skuAvailable` is what can be sold across all locations now.',
  Type.Object({
    movementId: Type.String(),
    sku: Type.String({ minLength: 1 }),
    locationId: Type.String(),
    kind: Type.Enum(['receipt', 'adjustment']),
    delta: Type.Integer(),
    onHand: Level,
    reserved: Level,
    available: Level,
    skuAvailable: Level,
    reason: Type.Union([Type.String(), Type.Null()]),
    actor: Type.String(),
  }),
);

export const StockLow = defineEvent(
  'inventory.stock.low',
  'What can be sold of a SKU, across locations, fell to or below its low-stock threshold (raised once per crossing).',
  Type.Object({ sku: Type.String({ minLength: 1 }), onHand: Level, reserved: Level, available: Level, threshold: Level }),
);

export const StockAvailabilityChanged = defineEvent(
  'inventory.stock.availability_changed',
  'What can be sold of a SKU across all locations changed (a receipt, an adjustment, a reservation or its release), or a SKU started being tracked. Carts show it; reserving stays the only promise.',
  Type.Object({ sku: Type.String({ minLength: 1 }), onHand: Level, reserved: Level, available: Level }),
);
