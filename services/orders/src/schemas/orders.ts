/** Orders' API schemas: carts, checkout and orders. */
import { Type } from 'typebox';
import { MAX_AMOUNT } from '@fusioncommerce/platform';
import { MAX_QUANTITY } from '../domain/cart.ts';

const strict = { additionalProperties: false } as const;
const Uuid = Type.String({ format: 'uuid' });
const Money = Type.Object({ amount: Type.Integer(), currency: Type.String() });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const CartParams = Type.Object({ id: Uuid }, strict);
export const CartLineParams = Type.Object({ id: Uuid, lineId: Uuid }, strict);
export const OrderParams = Type.Object({ id: Uuid }, strict);

export const AddLineSchema = Type.Object(
  {
    variantId: Type.Optional(Uuid),
    sku: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' })),
    quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }),
  },
  { ...strict, minProperties: 2 },
);

export const SetQuantitySchema = Type.Object({ quantity: Type.Integer({ minimum: 0, maximum: MAX_QUANTITY }) }, strict);

export const AddressSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    region: Type.Optional(Type.String({ maxLength: 100 })),
    postalCode: Type.String({ minLength: 1, maxLength: 20 }),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }),
    phone: Type.Optional(Type.String({ pattern: '^[0-9 +()-]{5,30}$' })),
  },
  strict,
);

export const CheckoutSchema = Type.Object(
  {
    cartId: Uuid,
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254, description: 'Required for guests; defaults to the signed-in account’s.' })),
    shippingAddress: AddressSchema,
    payment: Type.Object(
      {
        method: Type.String({
          minLength: 1,
          maxLength: 255,
          pattern: '^[A-Za-z0-9_ -]+$',
          description: 'A payment method token from the provider (pm_… with Stripe; a test card number such as 4242424242424242 with the test provider).',
        }),
      },
      strict,
    ),
  },
  strict,
);

export const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 255, pattern: '^[A-Za-z0-9_.:-]+$' })) });

const CartLineView = Type.Object({
  id: Uuid,
  variantId: Uuid,
  sku: Type.String(),
  productId: Type.String(),
  productSlug: Type.String(),
  productTitle: Type.String(),
  variantTitle: Type.String(),
  quantity: Type.Integer(),
  unitPrice: Money,
  lineTotal: Money,
  weightGrams: Type.Integer(),
  available: Type.Boolean({ description: 'The catalog sells it and stock covers the quantity, as far as carts know; reserving at checkout decides.' }),
  unavailableReason: Nullable(Type.Enum(['not_sold', 'insufficient_stock'])),
  stockAvailable: Nullable(Type.Integer({ description: 'What can be sold of the SKU now (null: inventory has not said).' })),
});

const ShippingQuoteSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Nullable(Type.String()),
  carrier: Type.String(),
  estimatedDays: Nullable(Type.Object({ min: Type.Integer(), max: Type.Integer() })),
  amount: Money,
  free: Type.Boolean(),
});

const CartShippingSchema = Type.Object({
  country: Nullable(Type.String({ description: 'Where quotes are for; set with PUT /v1/carts/{id}/shipping (checkout uses its address).' })),
  selectedOptionId: Nullable(Type.String()),
  options: Type.Array(ShippingQuoteSchema, { description: 'Options that apply to this cart and destination, cheapest first.' }),
  option: Nullable(ShippingQuoteSchema),
  required: Type.Boolean({ description: 'False when the shop charges no shipping in this currency.' }),
  issue: Nullable(Type.String({ description: 'Why shipping stops checkout, if it does.' })),
});

export const SetShippingSchema = Type.Object(
  {
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 destination country' }),
    optionId: Type.Optional(Nullable(Type.String({ format: 'uuid', description: 'A shipping option that applies to the cart; null or absent: the cheapest.' }))),
  },
  strict,
);

export const CartViewSchema = Type.Object({
  id: Uuid,
  status: Type.String(),
  customerId: Nullable(Type.String()),
  currency: Nullable(Type.String()),
  lines: Type.Array(CartLineView),
  itemCount: Type.Integer(),
  subtotal: Nullable(Money),
  shippingTotal: Nullable(Money),
  total: Nullable(Money),
  checkoutReady: Type.Boolean(),
  shipping: CartShippingSchema,
});

export const OrderViewSchema = Type.Object({
  id: Uuid,
  number: Type.String(),
  status: Type.String(),
  reason: Nullable(Type.String()),
  customerId: Nullable(Type.String()),
  email: Type.String(),
  lines: Type.Array(
    Type.Object({ variantId: Type.String(), sku: Type.String(), productId: Type.String(), title: Type.String(), quantity: Type.Integer(), unitPrice: Money, lineTotal: Money }),
  ),
  subtotal: Money,
  shippingTotal: Money,
  total: Money,
  refunded: Money,
  shippingOption: Nullable(Type.Object({ id: Type.String(), name: Type.String(), carrier: Type.String(), amount: Money })),
  shipments: Type.Array(
    Type.Object({
      shipmentId: Type.String(),
      status: Type.String(),
      carrier: Nullable(Type.String()),
      carrierName: Nullable(Type.String()),
      trackingNumber: Nullable(Type.String()),
      trackingUrl: Nullable(Type.String()),
      lines: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer() })),
      shippedAt: Nullable(Type.String()),
      deliveredAt: Nullable(Type.String()),
    }),
    { description: 'Tracking of what has shipped, as the shipping service reported it.' },
  ),
  shippingAddress: Type.Record(Type.String(), Type.String()),
  stock: Type.String(),
  payment: Type.String(),
  paymentId: Nullable(Type.String()),
  placedAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  links: Type.Object({ self: Type.String() }),
});

export const OrderDetailSchema = Type.Object({
  ...OrderViewSchema.properties,
  timeline: Type.Array(Type.Object({ at: Type.String(), type: Type.String(), status: Type.String(), data: Type.Record(Type.String(), Type.Unknown()) })),
});

export const OrderPageSchema = Type.Object({ data: Type.Array(OrderViewSchema), nextCursor: Nullable(Type.String()) });

const ListFields = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  status: Type.Optional(Type.Enum(['pending', 'confirmed', 'shipped', 'delivered', 'cancelled', 'refunded', 'partially_refunded'])),
};

export const MyOrdersQuery = Type.Object(ListFields, strict);
export const AdminOrdersQuery = Type.Object(
  {
    ...ListFields,
    customerId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    placedFrom: Type.Optional(Type.String({ format: 'date-time' })),
    placedTo: Type.Optional(Type.String({ format: 'date-time' })),
    minTotal: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_AMOUNT })),
    maxTotal: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_AMOUNT })),
  },
  strict,
);

export const OrderSummaryQuery = Type.Object(
  { days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30, description: 'The last N days in UTC, today included.' })) },
  strict,
);

const DaySchema = Type.Object({ date: Type.String({ format: 'date' }), orders: Type.Integer(), revenue: Type.Integer({ description: 'Minor units.' }) });
export const OrderSummarySchema = Type.Object({
  from: Type.String({ format: 'date-time', description: 'Start of the first day (UTC midnight).' }),
  to: Type.String({ format: 'date-time' }),
  days: Type.Integer(),
  orders: Type.Integer({ description: 'Every order placed in the period, in any status and currency.' }),
  byStatus: Type.Array(Type.Object({ status: Type.String(), orders: Type.Integer() })),
  currencies: Type.Array(
    Type.Object({
      currency: Type.String(),
      orders: Type.Integer(),
      paidOrders: Type.Integer({ description: 'Orders that count as revenue: not pending, cancelled or refunded.' }),
      revenue: Money,
      averageOrder: Money,
      daily: Type.Array(DaySchema),
      topProducts: Type.Array(Type.Object({ productId: Type.String(), title: Type.String(), units: Type.Integer(), revenue: Money })),
    }),
    { description: 'Busiest currency first.' },
  ),
});

export const RefundSchema = Type.Object(
  {
    amount: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_AMOUNT, description: 'Minor units; the whole remaining amount when left out.' })),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  strict,
);
