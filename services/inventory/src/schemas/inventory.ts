/** Inventory's API schemas: they validate requests, shape responses and produce the OpenAPI document. */
import { Type, type Static } from 'typebox';
import { MAX_UNITS_PER_LEVEL, SKU } from '../domain/stock.ts';

const strict = { additionalProperties: false } as const;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });

/** Most units one request moves: beyond this it is a typo, not a shipment. */
export const MAX_QUANTITY = 1_000_000;
export const MAX_LINES = 100;

export const Sku = Type.String({ pattern: SKU.source, description: 'A catalog SKU: letters, digits, dot, underscore, dash; at most 64.' });
const SKU_ITEM = SKU.source.slice(1, -1);
const SkuList = Type.String({
  pattern: `^${SKU_ITEM}(,${SKU_ITEM}){0,${MAX_LINES - 1}}$`,
  description: `Comma-separated SKUs, at most ${MAX_LINES}.`,
});
const Quantity = Type.Integer({ minimum: 1, maximum: MAX_QUANTITY });
/** Text a person typed: something visible, and no control characters (PostgreSQL text cannot even hold NUL). */
const HUMAN_TEXT = '^(?=[\\s\\S]*\\S)[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$';
const REASON = { minLength: 1, maxLength: 500, pattern: HUMAN_TEXT } as const;
const THRESHOLD = { minimum: 0, maximum: MAX_QUANTITY } as const;
const Threshold = Type.Integer(THRESHOLD);
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 }));
const Cursor = Type.Optional(Type.String({ minLength: 1, maxLength: 512 }));
const StateEnum = Type.Enum(['in_stock', 'low_stock', 'out_of_stock']);

export const Page = <T extends Parameters<typeof Type.Array>[0]>(item: T) => Type.Object({ data: Type.Array(item), nextCursor: Nullable(Type.String()) });

// Locations

export const LocationInputSchema = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,39}$', description: 'Short unique handle, e.g. "berlin-1".' }),
    name: Type.String({ minLength: 1, maxLength: 100, pattern: HUMAN_TEXT }),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: 'Reservations take stock from lower priorities first (default 100).' })),
    isDefault: Type.Optional(Type.Boolean({ description: 'Receipts and adjustments without a location go to the default one.' })),
  },
  strict,
);
export type LocationInputBody = Static<typeof LocationInputSchema>;

export const LocationPatchSchema = Type.Object(
  {
    name: Type.Optional(LocationInputSchema.properties.name),
    priority: LocationInputSchema.properties.priority,
    isDefault: Type.Optional(Type.Literal(true, { description: 'Make this the default location (the old one stops being it).' })),
  },
  { ...strict, minProperties: 1 },
);

export const LocationSchema = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  priority: Type.Integer(),
  isDefault: Type.Boolean(),
  archived: Type.Boolean(),
  archivedAt: Nullable(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const LocationListQuery = Type.Object({ includeArchived: Type.Optional(Type.Boolean({ default: false })) }, strict);
export const LocationListSchema = Type.Object({ data: Type.Array(LocationSchema) });
export const IdParams = Type.Object({ id: Uuid }, strict);

// SKUs and levels

export const SkuParams = Type.Object({ sku: Sku }, strict);

export const RegisterItemSchema = Type.Object(
  {
    sku: Sku,
    lowStockThreshold: Type.Optional(Nullable(Threshold)),
  },
  strict,
);

export const ThresholdSchema = Type.Object(
  { lowStockThreshold: Nullable(Type.Integer({ ...THRESHOLD, description: 'Alert when what is available falls to this; null: the service default.' })) },
  strict,
);

const totals = {
  sku: Type.String(),
  onHand: Type.Integer(),
  reserved: Type.Integer(),
  available: Type.Integer(),
  lowStockThreshold: Nullable(Type.Integer()),
  effectiveThreshold: Type.Integer(),
  state: StateEnum,
};

export const LevelSchema = Type.Object({
  sku: Type.String(),
  locationId: Uuid,
  locationCode: Type.String(),
  onHand: Type.Integer(),
  reserved: Type.Integer(),
  available: Type.Integer(),
  updatedAt: DateTime,
});

export const ItemSummarySchema = Type.Object(totals);
export const ItemDetailSchema = Type.Object({ ...totals, levels: Type.Array(LevelSchema) });
export const ItemPageSchema = Page(ItemSummarySchema);
export const LevelPageSchema = Page(LevelSchema);

export const ItemListQuery = Type.Object(
  {
    limit: Limit,
    cursor: Cursor,
    q: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$', description: 'SKU prefix' })),
    skus: Type.Optional(SkuList),
    state: Type.Optional(StateEnum),
  },
  strict,
);

export const LevelListQuery = Type.Object(
  {
    limit: Limit,
    cursor: Cursor,
    locationId: Type.Optional(Uuid),
    sku: Type.Optional(Sku),
    q: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$', description: 'SKU prefix' })),
  },
  strict,
);

// Receipts and adjustments

export const ReceiptSchema = Type.Object(
  {
    locationId: Type.Optional(Type.String({ format: 'uuid', description: 'Where the goods arrived; the default location when omitted.' })),
    quantity: Quantity,
    reason: Type.Optional(Type.String({ ...REASON, description: 'e.g. a purchase order number' })),
  },
  strict,
);

export const AdjustmentSchema = Type.Object(
  {
    locationId: Type.Optional(Type.String({ format: 'uuid', description: 'The default location when omitted.' })),
    delta: Type.Optional(Type.Integer({ minimum: -MAX_QUANTITY, maximum: MAX_QUANTITY, description: 'A change in units on hand, e.g. -2 for two damaged.' })),
    onHand: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_UNITS_PER_LEVEL, description: 'Units counted on hand (a stocktake).' })),
    reason: Type.String({ ...REASON, description: 'Why: damaged, lost, stocktake, correction…' }),
  },
  strict,
);

const MovementKindEnum = Type.Enum(['receipt', 'adjustment', 'reservation', 'release', 'commit']);

export const MovementSchema = Type.Object({
  id: Uuid,
  sku: Type.String(),
  locationId: Uuid,
  kind: MovementKindEnum,
  onHandDelta: Type.Integer(),
  reservedDelta: Type.Integer(),
  onHand: Type.Integer({ description: 'On hand at the location after this movement' }),
  reserved: Type.Integer(),
  available: Type.Integer(),
  reason: Nullable(Type.String()),
  actor: Type.String({ description: 'The principal id, or system:<job>' }),
  reservationId: Nullable(Uuid),
  reference: Nullable(Type.String()),
  createdAt: DateTime,
});
export const MovementPageSchema = Page(MovementSchema);

export const LevelChangeSchema = Type.Object({
  sku: Type.String(),
  locationId: Uuid,
  onHand: Type.Integer(),
  reserved: Type.Integer(),
  available: Type.Integer(),
  movement: Nullable(MovementSchema),
});

const ReferenceId = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$', description: 'The order or participation id' });
const ReferenceKindEnum = Type.Enum(['order', 'group_participation']);

export const MovementListQuery = Type.Object(
  {
    limit: Limit,
    cursor: Cursor,
    sku: Type.Optional(Sku),
    locationId: Type.Optional(Uuid),
    kind: Type.Optional(MovementKindEnum),
    reservationId: Type.Optional(Uuid),
    reference: Type.Optional(Type.String({ pattern: '^(order|group_participation):[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$', description: 'kind:id, e.g. order:0190…' })),
  },
  strict,
);

// Reservations

export const ReferenceSchema = Type.Object({ kind: ReferenceKindEnum, id: ReferenceId }, strict);
export const ReferenceParams = Type.Object({ kind: ReferenceKindEnum, id: ReferenceId }, strict);

export const ReserveSchema = Type.Object(
  {
    reference: ReferenceSchema,
    lines: Type.Array(Type.Object({ sku: Sku, quantity: Quantity }, strict), { minItems: 1, maxItems: MAX_LINES }),
    ttlSeconds: Type.Optional(Type.Integer({ minimum: 1, description: 'How long to hold the stock; the service default (15 minutes) when omitted.' })),
  },
  strict,
);
export type ReserveBody = Static<typeof ReserveSchema>;

export const ReservationSchema = Type.Object({
  id: Uuid,
  reference: Type.Object({ kind: ReferenceKindEnum, id: Type.String() }),
  status: Type.Enum(['active', 'committed', 'released', 'returned']),
  lines: Type.Array(
    Type.Object({
      sku: Type.String(),
      quantity: Type.Integer(),
      allocations: Type.Array(Type.Object({ locationId: Uuid, quantity: Type.Integer() })),
    }),
  ),
  expiresAt: DateTime,
  createdAt: DateTime,
  createdBy: Type.String(),
  committedAt: Nullable(DateTime),
  releasedAt: Nullable(DateTime),
  releaseReason: Nullable(Type.Enum(['requested', 'expired'])),
  returnedAt: Nullable(DateTime),
});
export const ReservationPageSchema = Page(ReservationSchema);

export const ReservationListQuery = Type.Object(
  {
    limit: Limit,
    cursor: Cursor,
    status: Type.Optional(Type.Enum(['active', 'committed', 'released', 'returned'])),
    referenceKind: Type.Optional(ReferenceKindEnum),
    referenceId: Type.Optional(ReferenceId),
  },
  strict,
);

export const RestockSchema = Type.Object(
  { reason: Type.Optional(Type.String({ ...REASON, description: 'Why the units came back, e.g. "order cancelled"' })) },
  strict,
);

// Storefront

export const AvailabilityQuery = Type.Object({ skus: SkuList }, strict);
export const AvailabilitySchema = Type.Object({
  data: Type.Array(
    Type.Object({
      sku: Type.String(),
      status: StateEnum,
      quantity: Type.Integer({ description: 'Units that can be bought now, up to the cap: exact below it, the cap itself at or above it.' }),
    }),
  ),
  cap: Type.Integer({ description: 'The most `quantity` ever says.' }),
});
