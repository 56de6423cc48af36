/** Payments' API schemas: they validate requests, shape responses and produce the OpenAPI document. */
import { MAX_AMOUNT } from '@fusioncommerce/platform';
import { Type, type Static } from 'typebox';
import { PAYMENT_STATUSES, REFERENCE_KINDS } from '../domain/payment.ts';

const strict = { additionalProperties: false } as const;
const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });

const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, upper case: USD, EUR, JPY' });

/** An amount someone asks for: at least one minor unit. */
export const AmountSchema = Type.Object(
  {
    amount: Type.Integer({ minimum: 1, maximum: MAX_AMOUNT, description: 'Minor units (cents): 1999 is 19.99.' }),
    currency: Currency,
  },
  strict,
);
export type AmountBody = Static<typeof AmountSchema>;

const MoneyView = Type.Object({ amount: Type.Integer({ minimum: 0 }), currency: Type.String() });

export const ReferenceSchema = Type.Object(
  {
    kind: Type.Enum([...REFERENCE_KINDS], { description: 'What is being paid for.' }),
    id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$', description: 'The order id or group participation id.' }),
  },
  strict,
);

const Reason = Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' });

export const CreatePaymentSchema = Type.Object({ reference: ReferenceSchema, amount: AmountSchema }, strict);
export type CreatePaymentBody = Static<typeof CreatePaymentSchema>;

export const AuthorizeSchema = Type.Object(
  {
    paymentMethod: Type.String({
      pattern: '^[A-Za-z0-9_]{1,255}$',
      description: 'Test provider: a test card number (4242424242424242 …). Stripe: a PaymentMethod id (pm_…) from Stripe.js.',
    }),
  },
  strict,
);

export const ConfirmSchema = Type.Object({}, strict);
export const CaptureSchema = Type.Object({ amount: Type.Optional(AmountSchema) }, { ...strict, description: 'Without an amount, everything authorized is captured.' });
export const VoidSchema = Type.Object({ reason: Type.Optional(Reason) }, strict);
export const RefundSchema = Type.Object(
  { amount: Type.Optional(AmountSchema), reason: Reason },
  { ...strict, description: 'Without an amount, everything captured and not yet refunded is refunded.' },
);

export const IdParams = Type.Object({ id: Uuid }, strict);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ description: 'A unique value per operation (a UUID); a retry with the same key and body gets the stored response.' })),
});
export const ClientSecretHeaders = Type.Object({
  'payment-client-secret': Type.Optional(Type.String({ description: 'The clientSecret returned when the payment was created (not needed by admins).' })),
  'idempotency-key': Type.Optional(Type.String()),
});

export const AdminListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    status: Type.Optional(Type.Enum([...PAYMENT_STATUSES])),
    referenceKind: Type.Optional(Type.Enum([...REFERENCE_KINDS])),
    referenceId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  strict,
);

const paymentFields = {
  id: Uuid,
  status: Type.Enum([...PAYMENT_STATUSES]),
  reference: Type.Object({ kind: Type.String(), id: Type.String() }),
  amount: MoneyView,
  authorized: MoneyView,
  captured: MoneyView,
  refunded: MoneyView,
  capturable: MoneyView,
  refundable: MoneyView,
  paymentMethod: Nullable(Type.Object({ type: Type.String(), brand: Nullable(Type.String()), last4: Nullable(Type.String()) })),
  nextAction: Nullable(Type.Object({ type: Type.String(), providerClientSecret: Nullable(Type.String()) })),
  failure: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const PaymentViewSchema = Type.Object(
  { ...paymentFields, clientSecret: Type.Optional(Type.String({ description: 'Only in the response that created the payment: keep it to authorize and check it.' })) },
);

const adminFields = { ...paymentFields, provider: Type.String(), providerRef: Nullable(Type.String()), createdBy: Type.String(), version: Type.Integer() };

export const AdminPaymentSchema = Type.Object(adminFields);

export const AdminPaymentPageSchema = Type.Object({ data: Type.Array(AdminPaymentSchema), nextCursor: Nullable(Type.String()) });

const AttemptSchema = Type.Object({
  id: Uuid,
  operation: Type.String(),
  seq: Type.Integer(),
  status: Type.String(),
  amount: Nullable(MoneyView),
  providerKey: Type.String({ description: 'The idempotency key the provider saw.' }),
  providerRef: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  failureCode: Nullable(Type.String()),
  failureMessage: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  tries: Type.Integer(),
  actor: Type.String(),
  createdAt: Timestamp,
  completedAt: Nullable(Timestamp),
});

const TransitionSchema = Type.Object({
  from: Nullable(Type.String()),
  to: Type.String(),
  amount: MoneyView,
  reason: Nullable(Type.String()),
  source: Type.String(),
  actor: Type.String(),
  attemptId: Nullable(Type.String()),
  at: Timestamp,
});

export const AdminPaymentDetailSchema = Type.Object(
  { ...adminFields, attempts: Type.Array(AttemptSchema), transitions: Type.Array(TransitionSchema) },
);

export const WebhookAckSchema = Type.Object({ received: Type.Boolean(), duplicate: Type.Boolean(), outcome: Type.String() });
