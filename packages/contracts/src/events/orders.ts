/**
 * Events the orders service publishes: the order saga's messages. All carry
 * the order id as subject, so one order's events arrive in the order they
 * were decided. Inventory reserves on `placed`, commits on `confirmed` and
 * lets go on `cancelled`; payments authorizes on `payment_requested`, voids
 * or refunds on `cancelled`, refunds on `refund_requested`.
 */
import { Type } from 'typebox';
import { defineEvent } from './registry.ts';

const Money = Type.Object({ amount: Type.Integer({ minimum: 0 }), currency: Type.String({ pattern: '^[A-Z]{3}$' }) });

const Line = Type.Object({
  variantId: Type.String(),
  sku: Type.String({ minLength: 1 }),
  quantity: Type.Integer({ minimum: 1 }),
  unitPrice: Money,
});

export const OrderPlaced = defineEvent(
  'orders.order.placed',
  'A shopper checked out: the order is pending until stock is reserved and payment authorized.',
  Type.Object({
    orderId: Type.String(),
    number: Type.String(),
    customerId: Type.Union([Type.String(), Type.Null()]),
    email: Type.String(),
    lines: Type.Array(Line, { minItems: 1 }),
    total: Money,
  }),
);

export const PaymentRequested = defineEvent(
  'orders.payment.requested',
  'Stock is held for the order; authorize its total on the given payment method.',
  Type.Object({
    orderId: Type.String(),
    amount: Money,
    paymentMethod: Type.String({ minLength: 1, description: 'A provider token (or a test card number with the test provider).' }),
    email: Type.String(),
  }),
);

export const OrderConfirmed = defineEvent(
  'orders.order.confirmed',
  'Stock reserved and payment authorized: the order is a sale. `capture` says whether to take the money now (false: at its first shipment). The optional fulfilment facts (customer, lines, address, shipping choice) let shipping create the shipment; events recorded before they existed lack them.',
  Type.Object({
    orderId: Type.String(),
    number: Type.String(),
    paymentId: Type.String(),
    total: Money,
    capture: Type.Boolean(),
    email: Type.String(),
    customerId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    lines: Type.Optional(Type.Array(Type.Object({ variantId: Type.String(), sku: Type.String({ minLength: 1 }), title: Type.String(), quantity: Type.Integer({ minimum: 1 }) }))),
    shippingAddress: Type.Optional(Type.Record(Type.String(), Type.String())),
    shippingOption: Type.Optional(Type.Union([Type.Object({ id: Type.String(), name: Type.String(), carrier: Type.String(), amount: Money }), Type.Null()])),
    source: Type.Optional(
      Type.Enum(['checkout', 'group'], { description: '`group`: made by group buying, already paid and its stock already sold; there is nothing to capture or commit.' }),
    ),
  }),
);

export const OrderCancelled = defineEvent(
  'orders.order.cancelled',
  'The order ended without a sale (or was cancelled after one): let go of its stock and payment.',
  Type.Object({
    orderId: Type.String(),
    number: Type.String(),
    reason: Type.Enum(['out_of_stock', 'payment_declined', 'expired', 'cancelled_by_admin', 'cancelled_by_customer']),
    releaseStock: Type.Boolean(),
    voidOrRefundPayment: Type.Boolean(),
    paymentId: Type.Union([Type.String(), Type.Null()]),
    email: Type.String(),
  }),
);

export const RefundRequested = defineEvent(
  'orders.refund.requested',
  'A merchant refunds (part of) a paid order.',
  Type.Object({ orderId: Type.String(), paymentId: Type.String(), amount: Money, reason: Type.String() }),
);
