/** Payments' errors, each with a stable code; the kernel maps kinds to HTTP. */
import { AppError, type Money } from '@fusioncommerce/platform';

const field = (pointer: string, message: string) => [{ pointer, message }];

export const PaymentsError = {
  paymentNotFound: (id: string) => new AppError('PAYMENTS.PAYMENT_NOT_FOUND', 'not_found', `No payment ${id}.`),
  illegalTransition: (from: string, action: string) =>
    new AppError('PAYMENTS.ILLEGAL_TRANSITION', 'conflict', `A payment that is ${from.replace(/_/g, ' ')} cannot be ${action}.`, {
      extensions: { currentState: from },
    }),
  unsupportedCurrency: (currency: string, pointer: string) =>
    new AppError('PAYMENTS.UNSUPPORTED_CURRENCY', 'invalid', `${currency} is not an ISO 4217 currency this platform can charge in.`, {
      errors: field(pointer, 'is not a supported ISO 4217 currency'),
    }),
  currencyMismatch: (expected: string, given: string, pointer: string) =>
    new AppError('PAYMENTS.CURRENCY_MISMATCH', 'invalid', `This payment is in ${expected}; the amount given is in ${given}.`, {
      errors: field(pointer, `must be ${expected}`),
    }),
  amountExceedsCapturable: (capturable: Money, asked: number) =>
    new AppError(
      'PAYMENTS.AMOUNT_EXCEEDS_AUTHORIZED',
      'invalid',
      `Cannot capture ${asked}: at most ${capturable.amount} ${capturable.currency} is authorized and uncaptured.`,
      { errors: field('/body/amount/amount', `must be at most ${capturable.amount}`), extensions: { capturable } },
    ),
  amountExceedsRefundable: (refundable: Money, asked: number) =>
    new AppError(
      'PAYMENTS.AMOUNT_EXCEEDS_CAPTURED',
      'invalid',
      `Cannot refund ${asked}: at most ${refundable.amount} ${refundable.currency} is captured and not yet refunded.`,
      { errors: field('/body/amount/amount', `must be at most ${refundable.amount}`), extensions: { refundable } },
    ),
  referenceInUse: (kind: string, id: string) =>
    new AppError(
      'PAYMENTS.REFERENCE_IN_USE',
      'conflict',
      `The ${kind.replace(/_/g, ' ')} ${id} already has a payment; void it before starting another, or retry with the Idempotency-Key you first used.`,
    ),
  unknownTestCard: () =>
    new AppError(
      'PAYMENTS.UNKNOWN_TEST_CARD',
      'invalid',
      'The test provider takes test card numbers only: 4242424242424242 (succeeds), 4000000000000002 (declined), 4000000000009995 (insufficient funds), 4000002500003155 (needs authentication).',
      { errors: field('/body/paymentMethod', 'is not a test card number') },
    ),
  invalidPaymentMethod: (hint: string) =>
    new AppError('PAYMENTS.INVALID_PAYMENT_METHOD', 'invalid', hint, { errors: field('/body/paymentMethod', 'is not a payment method this provider accepts') }),
  idempotencyKeyRequired: () =>
    new AppError('PAYMENTS.IDEMPOTENCY_KEY_REQUIRED', 'invalid', 'Send an Idempotency-Key header (a unique value per operation, e.g. a UUID) so a retry can never charge twice.', {
      errors: field('/headers/idempotency-key', 'is required'),
    }),
  idempotencyKeyInvalid: () =>
    new AppError('PAYMENTS.IDEMPOTENCY_KEY_INVALID', 'invalid', 'An Idempotency-Key is 1 to 255 visible ASCII characters.', {
      errors: field('/headers/idempotency-key', 'must be 1 to 255 visible ASCII characters'),
    }),
  idempotencyKeyReused: () =>
    new AppError('PAYMENTS.IDEMPOTENCY_KEY_REUSED', 'unprocessable', 'This Idempotency-Key was already used for a different request; use a new key for a new request.', {
      errors: field('/headers/idempotency-key', 'was used for a different request'),
    }),
  idempotencyKeyInProgress: () =>
    new AppError('PAYMENTS.IDEMPOTENCY_KEY_IN_PROGRESS', 'conflict', 'A request with this Idempotency-Key is still being processed; retry in a moment.'),
  /** A dependency outage, not a bug: answered 503 with Retry-After (the kernel reads `retryAfter`). */
  providerUnavailable: (provider: string) =>
    Object.assign(
      new AppError(
        'PAYMENTS.PROVIDER_UNAVAILABLE',
        'unavailable',
        `The ${provider} payment provider could not be reached or failed on its side. Nothing was charged twice: retry the same request (same Idempotency-Key) to finish it.`,
      ),
      { retryAfter: 2 },
    ),
  providerRejected: (provider: string, message: string) =>
    new AppError('PAYMENTS.PROVIDER_REJECTED', 'conflict', `The ${provider} payment provider refused the operation: ${message}`),
  providerNotConfigured: (provider: string) =>
    new AppError('PAYMENTS.PROVIDER_NOT_CONFIGURED', 'unavailable', `This payment was made with the ${provider} provider, which this process is not configured for.`),
  webhooksNotConfigured: () =>
    new AppError('PAYMENTS.WEBHOOKS_NOT_CONFIGURED', 'not_found', 'Stripe webhooks are not enabled here: set PAYMENTS_PROVIDER=stripe and STRIPE_WEBHOOK_SECRET.'),
  webhookSignatureInvalid: (why: string) =>
    new AppError('PAYMENTS.WEBHOOK_SIGNATURE_INVALID', 'invalid', `The Stripe-Signature header does not verify: ${why}`),
  webhookPayloadInvalid: () => new AppError('PAYMENTS.WEBHOOK_PAYLOAD_INVALID', 'invalid', 'The webhook body is not a Stripe event with an id and a type.'),
};
