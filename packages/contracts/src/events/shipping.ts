/**
 * Events the shipping service publishes. Option changes carry the whole
 * option (subject: its id) so orders keeps a replica to price carts with.
 * Shipment events carry the order id as subject, so one order's shipments
 * are delivered in the order they happened; orders moves the order to
 * shipped and delivered from them, payments captures on the first shipment
 * when capture waits for shipment.
 */
import { Type } from 'typebox';
import { ShippingRulesSchema } from '../shipping-rates.ts';
import { defineEvent } from './registry.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const ShipmentLine = Type.Object({ sku: Type.String({ minLength: 1 }), quantity: Type.Integer({ minimum: 1 }) });

const ShipmentFacts = {
  shipmentId: Type.String(),
  orderId: Type.String(),
  orderNumber: Type.String(),
  customerId: Nullable(Type.String()),
  lines: Type.Array(ShipmentLine, { minItems: 1 }),
};

export const ShippingOptionChanged = defineEvent(
  'shipping.option.changed',
  'A shipping option was created, edited or archived; `option` is its whole new state (a higher `version` wins).',
  Type.Object({
    option: Type.Object({
      id: Type.String(),
      name: Type.String({ minLength: 1 }),
      description: Nullable(Type.String()),
      carrier: Type.String({ minLength: 1 }),
      estimatedDays: Nullable(Type.Object({ min: Type.Integer({ minimum: 0 }), max: Type.Integer({ minimum: 0 }) })),
      rules: ShippingRulesSchema,
      status: Type.Enum(['active', 'archived']),
      version: Type.Integer({ minimum: 1 }),
    }),
  }),
);

export const ShipmentCreated = defineEvent(
  'shipping.shipment.created',
  'A confirmed order (or the rest of a partly shipped one) waits to be packed and shipped.',
  Type.Object({ ...ShipmentFacts, splitFrom: Nullable(Type.String()) }),
);

export const ShipmentShipped = defineEvent(
  'shipping.shipment.shipped',
  'A shipment left with a carrier. `allShipped`: nothing of the order is left to ship. `capturePayment`: the order captures at shipment and this is its first shipment, so take the money now.',
  Type.Object({
    ...ShipmentFacts,
    carrier: Type.String({ minLength: 1 }),
    carrierName: Nullable(Type.String()),
    trackingNumber: Type.String({ minLength: 1 }),
    trackingUrl: Nullable(Type.String()),
    shippedAt: Type.String({ format: 'date-time' }),
    allShipped: Type.Boolean(),
    capturePayment: Type.Boolean(),
    paymentId: Nullable(Type.String()),
  }),
);

export const ShipmentDelivered = defineEvent(
  'shipping.shipment.delivered',
  'A shipment reached the customer. `allDelivered`: every shipment of the order has, and nothing is left to ship.',
  Type.Object({
    ...ShipmentFacts,
    trackingNumber: Nullable(Type.String()),
    deliveredAt: Type.String({ format: 'date-time' }),
    allDelivered: Type.Boolean(),
  }),
);

export const ShipmentCancelled = defineEvent(
  'shipping.shipment.cancelled',
  'A shipment that had not shipped was called off because its order was cancelled.',
  Type.Object(ShipmentFacts),
);
