/** The webhooks API's schemas: they validate requests, shape responses and produce the OpenAPI document. */
import { Type } from 'typebox';

const strict = { additionalProperties: false } as const;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
/** Text a person typed: something visible, and no control characters. */
const HUMAN_TEXT = '^(?=[\\s\\S]*\\S)[^\\u0000-\\u001F\\u007F]*$';
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 }));
const Cursor = Type.Optional(Type.String({ minLength: 1, maxLength: 512 }));
const Version = Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'The version you read; alternative to If-Match.' });

export const Page = <T extends Parameters<typeof Type.Array>[0]>(item: T) => Type.Object({ data: Type.Array(item), nextCursor: Nullable(Type.String()) });

export const IdParams = Type.Object({ id: Uuid }, strict);

const ReceiverUrl = Type.String({
  minLength: 10,
  maxLength: 2000,
  pattern: '^[Hh][Tt][Tt][Pp][Ss]?://\\S+$',
  description: 'Where deliveries are POSTed: an http(s) URL, e.g. `http://n8n:5678/webhook/fusion-order-confirmed`.',
});

const EventTypePattern = Type.String({
  pattern: '^(\\*|[a-z][a-z-]*\\.\\*|[a-z][a-z-]*\\.[a-z][a-z_]*\\.\\*|[a-z][a-z-]*\\.[a-z][a-z_]*\\.[a-z][a-z_]*)$',
  description: 'An event type (`orders.order.confirmed`), a prefix (`orders.*`, `orders.order.*`) or `*` for everything.',
});

const EventTypes = Type.Array(EventTypePattern, {
  minItems: 1,
  maxItems: 50,
  description: 'Events that carry a one-time token or payment details are sent only when named exactly, never through a prefix or `*`.',
});

const Description = Nullable(Type.String({ minLength: 1, maxLength: 500, pattern: HUMAN_TEXT }));

export const CreateSubscriptionSchema = Type.Object(
  {
    url: ReceiverUrl,
    eventTypes: EventTypes,
    description: Type.Optional(Description),
    active: Type.Optional(Type.Boolean({ default: true })),
  },
  strict,
);

export const UpdateSubscriptionSchema = Type.Object(
  {
    url: Type.Optional(ReceiverUrl),
    eventTypes: Type.Optional(EventTypes),
    description: Type.Optional(Description),
    active: Type.Optional(Type.Boolean()),
    version: Type.Optional(Version),
  },
  { ...strict, minProperties: 1 },
);

export const RotateSecretSchema = Type.Object(
  {
    keepPreviousSecretSeconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 7 * 86_400, description: 'How long the old secret keeps signing next to the new one (default 86400, a day; 0: it stops at once).' }),
    ),
  },
  strict,
);

export const TestEventSchema = Type.Object(
  { message: Type.Optional(Type.String({ minLength: 1, maxLength: 500, pattern: HUMAN_TEXT, description: 'Put into the test event’s data.' })) },
  strict,
);

export const EmptySchema = Type.Object({}, strict);

const subscriptionFields = {
  id: Uuid,
  url: Type.String(),
  eventTypes: Type.Array(Type.String()),
  description: Nullable(Type.String()),
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
  secretRotatedAt: Nullable(DateTime),
  previousSecretExpiresAt: Nullable(DateTime),
};

export const SubscriptionSchema = Type.Object(subscriptionFields);

export const SubscriptionWithSecretSchema = Type.Object({
  ...subscriptionFields,
  secret: Type.String({ description: 'The signing secret (`whsec_…`). Shown only now: keep it where the receiver can read it.' }),
});

export const SubscriptionPageSchema = Page(SubscriptionSchema);

export const SubscriptionListQuery = Type.Object({ limit: Limit, cursor: Cursor, active: Type.Optional(Type.Boolean()) }, strict);

const DeliveryStatus = Type.Enum(['pending', 'delivering', 'delivered', 'failed']);

const deliveryFields = {
  id: Uuid,
  subscriptionId: Uuid,
  eventId: Type.String(),
  eventType: Type.String(),
  status: DeliveryStatus,
  attempts: Type.Integer({ description: 'Attempts since the delivery was created or last replayed.' }),
  replays: Type.Integer(),
  lastResponseStatus: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  lastDurationMs: Nullable(Type.Integer()),
  lastAttemptAt: Nullable(DateTime),
  nextAttemptAt: Nullable(DateTime),
  deliveredAt: Nullable(DateTime),
  failedAt: Nullable(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
};

export const DeliverySchema = Type.Object(deliveryFields);

export const DeliveryDetailSchema = Type.Object({
  ...deliveryFields,
  event: Type.Unknown({ description: 'The CloudEvent exactly as it is sent.' }),
  attemptLog: Type.Array(
    Type.Object({
      startedAt: DateTime,
      durationMs: Type.Integer(),
      responseStatus: Nullable(Type.Integer()),
      error: Nullable(Type.String()),
      outcome: Type.Enum(['delivered', 'retrying', 'failed']),
    }),
  ),
});

export const DeliveryPageSchema = Page(DeliverySchema);

export const DeliveryListQuery = Type.Object(
  {
    limit: Limit,
    cursor: Cursor,
    status: Type.Optional(DeliveryStatus),
    eventType: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  strict,
);
