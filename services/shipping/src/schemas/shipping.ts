/** Shipping's API schemas: they validate requests, shape responses and produce the OpenAPI document. */
import { Type, type Static } from 'typebox';
import { MAX_AMOUNT } from '@fusioncommerce/platform';

const strict = { additionalProperties: false } as const;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
/** Text a person typed: something visible, and no control characters. */
const HUMAN_TEXT = '^(?=[\\s\\S]*\\S)[^\\u0000-\\u001F\\u007F]*$';
const Amount = Type.Integer({ minimum: 0, maximum: MAX_AMOUNT });
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' });
const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2, upper case' });
const Money = Type.Object({ amount: Type.Integer(), currency: Type.String() });
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 }));
const Cursor = Type.Optional(Type.String({ minLength: 1, maxLength: 512 }));
const Version = Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'The version you read; alternative to If-Match.' });

export const Page = <T extends Parameters<typeof Type.Array>[0]>(item: T) => Type.Object({ data: Type.Array(item), nextCursor: Nullable(Type.String()) });

export const IdParams = Type.Object({ id: Uuid }, strict);
export const OrderIdParams = Type.Object({ orderId: Uuid }, strict);

// Options

const Rate = Type.Union([
  Type.Object({ type: Type.Literal('flat'), amount: Amount }, strict),
  Type.Object(
    {
      type: Type.Literal('weight'),
      bands: Type.Array(Type.Object({ upToGrams: Type.Integer({ minimum: 1, maximum: 10_000_000 }), amount: Amount }, strict), {
        minItems: 1,
        maxItems: 20,
        description: 'Ascending by upToGrams; a parcel heavier than the last band cannot use the option.',
      }),
    },
    strict,
  ),
]);

const EstimatedDays = Type.Object({ min: Type.Integer({ minimum: 0, maximum: 365 }), max: Type.Integer({ minimum: 0, maximum: 365 }) }, strict);

const optionFields = {
  name: Type.String({ minLength: 1, maxLength: 100, pattern: HUMAN_TEXT }),
  description: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 500, pattern: HUMAN_TEXT }))),
  carrier: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_-]{0,39}$', description: 'A carrier code (default `manual`).' })),
  estimatedDays: Type.Optional(Nullable(EstimatedDays)),
  currency: Currency,
  countries: Type.Array(Country, { minItems: 1, maxItems: 250 }),
  rate: Rate,
  freeAbove: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: MAX_AMOUNT, description: 'Free when the subtotal (minor units) is at least this.' }))),
  minSubtotal: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: MAX_AMOUNT, description: 'Offered only from this subtotal (minor units).' }))),
};

export const CreateOptionSchema = Type.Object(optionFields, strict);
export type CreateOptionBody = Static<typeof CreateOptionSchema>;

export const UpdateOptionSchema = Type.Object(
  {
    name: Type.Optional(optionFields.name),
    description: optionFields.description,
    carrier: optionFields.carrier,
    estimatedDays: optionFields.estimatedDays,
    currency: Type.Optional(optionFields.currency),
    countries: Type.Optional(optionFields.countries),
    rate: Type.Optional(optionFields.rate),
    freeAbove: optionFields.freeAbove,
    minSubtotal: optionFields.minSubtotal,
    version: Type.Optional(Version),
  },
  { ...strict, minProperties: 1 },
);

export const VersionOnlySchema = Type.Object({ version: Type.Optional(Version) }, strict);

export const OptionSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Nullable(Type.String()),
  carrier: Type.String(),
  estimatedDays: Nullable(Type.Object({ min: Type.Integer(), max: Type.Integer() })),
  currency: Type.String(),
  countries: Type.Array(Type.String()),
  rate: Type.Union([
    Type.Object({ type: Type.Literal('flat'), amount: Type.Integer() }),
    Type.Object({ type: Type.Literal('weight'), bands: Type.Array(Type.Object({ upToGrams: Type.Integer(), amount: Type.Integer() })) }),
  ]),
  freeAbove: Nullable(Type.Integer()),
  minSubtotal: Nullable(Type.Integer()),
  status: Type.Enum(['active', 'archived']),
  version: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
  archivedAt: Nullable(DateTime),
});

export const OptionPageSchema = Page(OptionSchema);

export const OptionListQuery = Type.Object(
  { limit: Limit, cursor: Cursor, status: Type.Optional(Type.Enum(['active', 'archived'])), country: Type.Optional(Country) },
  strict,
);

export const QuoteQuery = Type.Object(
  {
    country: Country,
    currency: Currency,
    subtotal: Type.Integer({ minimum: 0, maximum: MAX_AMOUNT, description: 'The cart’s subtotal in minor units.' }),
    weightGrams: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
  },
  strict,
);

export const QuoteSchema = Type.Object({
  optionId: Uuid,
  name: Type.String(),
  description: Nullable(Type.String()),
  carrier: Type.String(),
  estimatedDays: Nullable(Type.Object({ min: Type.Integer(), max: Type.Integer() })),
  amount: Money,
  free: Type.Boolean(),
});
export const QuoteListSchema = Type.Object({ data: Type.Array(QuoteSchema) });

// Shipments

const StatusEnum = Type.Enum(['pending', 'packed', 'shipped', 'delivered', 'cancelled']);

export const ShipmentSchema = Type.Object({
  id: Uuid,
  orderId: Uuid,
  orderNumber: Type.String(),
  customerId: Nullable(Type.String()),
  email: Type.String(),
  status: StatusEnum,
  lines: Type.Array(Type.Object({ sku: Type.String(), variantId: Type.String(), title: Type.String(), quantity: Type.Integer() })),
  shippingAddress: Type.Record(Type.String(), Type.String()),
  shippingOption: Nullable(Type.Object({ id: Type.String(), name: Type.String(), carrier: Type.String(), amount: Money })),
  splitFrom: Nullable(Uuid),
  carrier: Nullable(Type.String()),
  carrierName: Nullable(Type.String()),
  trackingNumber: Nullable(Type.String()),
  trackingUrl: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
  packedAt: Nullable(DateTime),
  shippedAt: Nullable(DateTime),
  deliveredAt: Nullable(DateTime),
  cancelledAt: Nullable(DateTime),
});

export const ShipmentPageSchema = Page(ShipmentSchema);
export const ShipmentListSchema = Type.Object({ data: Type.Array(ShipmentSchema) });
export const ShipResultSchema = Type.Object({ ...ShipmentSchema.properties, remainder: Nullable(ShipmentSchema) });

export const ShipmentListQuery = Type.Object(
  {
    limit: Limit,
    cursor: Cursor,
    status: Type.Optional(StatusEnum),
    orderId: Type.Optional(Uuid),
    customerId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    carrier: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    trackingNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    createdFrom: Type.Optional(DateTime),
    createdTo: Type.Optional(DateTime),
  },
  strict,
);

export const MyShipmentsQuery = Type.Object({ limit: Limit, cursor: Cursor, orderId: Type.Optional(Uuid) }, strict);

export const ShipSchema = Type.Object(
  {
    carrier: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_-]{0,39}$', description: 'Carrier code (default `manual`).' })),
    carrierName: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100, pattern: HUMAN_TEXT, description: 'The courier as the customer knows it, e.g. "DHL".' }))),
    trackingNumber: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9 ._/-]*$' }),
    trackingUrl: Type.Optional(Nullable(Type.String({ maxLength: 500, pattern: '^https?://\\S+$', description: 'Overrides the carrier’s tracking link.' }))),
    lines: Type.Optional(
      Type.Array(Type.Object({ sku: Type.String({ minLength: 1, maxLength: 64 }), quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }, strict), {
        minItems: 1,
        maxItems: 100,
        description: 'Ship only these lines (a partial shipment); the rest stays behind as a new pending shipment. Default: everything.',
      }),
    ),
  },
  strict,
);
export type ShipBody = Static<typeof ShipSchema>;
