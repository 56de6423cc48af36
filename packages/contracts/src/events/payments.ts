/**
 * Events the payments service publishes. Orders and group buying act on them:
 * an authorization confirms a checkout, a failure or a void compensates it.
 */
import { Type } from 'typebox';
import { defineEvent } from './registry.ts';

const Money = Type.Object({ amount: Type.Integer({ minimum: 0 }), currency: Type.String({ pattern: '^[A-Z]{3}$' }) });

const Reference = Type.Object({
  kind: Type.Enum(['order', 'group_participation']),
  id: Type.String({ minLength: 1 }),
});

/** What every payment event carries: which payment, for what, and where its money stands now. */
const PaymentFacts = {
  paymentId: Type.String(),
  reference: Reference,
  provider: Type.String(),
  providerRef: Type.Union([Type.String(), Type.Null()]),
  authorized: Money,
  captured: Money,
  refunded: Money,
};

export const PaymentAuthorized = defineEvent(
  'payments.payment.authorized',
  'The provider placed a hold for `amount` on the shopper’s payment method; nothing is charged until it is captured.',
  Type.Object({ ...PaymentFacts, amount: Money }),
);

export const PaymentFailed = defineEvent(
  'payments.payment.failed',
  'An authorization attempt was declined (or its extra authentication failed); the shopper may try another payment method.',
  Type.Object({ ...PaymentFacts, amount: Money, failureCode: Type.String(), failureMessage: Type.String() }),
);

export const PaymentCaptured = defineEvent(
  'payments.payment.captured',
  'Money was taken: `amount` of the authorization was captured; `released` is the rest of the hold, given back.',
  Type.Object({ ...PaymentFacts, amount: Money, released: Money }),
);

export const PaymentVoided = defineEvent(
  'payments.payment.voided',
  'The payment was cancelled before capture; `released` is the hold given back (zero if nothing was authorized).',
  Type.Object({ ...PaymentFacts, released: Money, reason: Type.Union([Type.String(), Type.Null()]) }),
);

export const PaymentRefunded = defineEvent(
  'payments.payment.refunded',
  'Captured money went back to the shopper: `amount` this time, `refunded` in total; `fullyRefunded` once nothing is left.',
  Type.Object({ ...PaymentFacts, amount: Money, reason: Type.String(), fullyRefunded: Type.Boolean() }),
);
