import type { Knex } from 'knex';
import type { PaymentsConfig } from '../config.ts';
import { PaymentsError } from '../domain/errors.ts';
import type { Payment } from '../domain/payment.ts';
import type { PaymentProvider, ProviderName } from '../providers/provider.ts';
import { StripePaymentProvider } from '../providers/stripe-provider.ts';
import { stripeWebhookVerifier, type StripeWebhookVerifier } from '../providers/stripe-webhooks.ts';
import { TestPaymentProvider } from '../providers/test-provider.ts';
import { IdempotencyStore } from '../store/idempotency-store.ts';
import { PaymentStore } from '../store/payment-store.ts';
import { WebhookStore } from '../store/webhook-store.ts';

/** What payments' use cases and routes work with; built once per process. */
export interface PaymentsDeps {
  knex: Knex;
  payments: PaymentStore;
  idempotency: IdempotencyStore;
  webhooks: WebhookStore;
  /** Providers by name: the configured one for new payments, and any other still able to finish older ones. */
  providers: Map<string, PaymentProvider>;
  /** The provider new payments use. */
  provider: PaymentProvider;
  /** Checks Stripe's webhook signatures; null unless Stripe is configured. */
  stripeWebhooks: StripeWebhookVerifier | null;
  /** How long a duplicate request waits for the original to finish before it gets a 409. */
  idempotencyWaitMs: number;
  now: () => Date;
}

export interface PaymentsDepsOptions {
  /** Replaces a provider (tests count calls or inject faults through this). */
  providers?: Partial<Record<ProviderName, PaymentProvider>>;
  idempotencyWaitMs?: number;
  idempotencyLeaseMs?: number;
  now?: () => Date;
}

export function paymentsDeps(knex: Knex, config: PaymentsConfig, options: PaymentsDepsOptions = {}): PaymentsDeps {
  const providers = new Map<string, PaymentProvider>();
  // The test provider moves no money, so payments made with it can always be finished.
  providers.set('test', options.providers?.test ?? new TestPaymentProvider());
  const stripe = options.providers?.stripe ?? (config.stripe ? new StripePaymentProvider(config.stripe) : undefined);
  if (stripe) providers.set('stripe', stripe);
  const provider = providers.get(config.provider);
  if (!provider) throw new Error(`payments: no ${config.provider} provider could be built`);
  return {
    knex,
    payments: new PaymentStore(knex),
    idempotency: new IdempotencyStore(knex, options.idempotencyLeaseMs),
    webhooks: new WebhookStore(),
    providers,
    provider,
    stripeWebhooks: config.stripe ? stripeWebhookVerifier(config.stripe.webhookSecret, config.stripe.webhookToleranceSeconds) : null,
    idempotencyWaitMs: options.idempotencyWaitMs ?? 10_000,
    now: options.now ?? (() => new Date()),
  };
}

/** The same deps working through another connection or transaction (an event consumer's). */
export function bindDeps(deps: PaymentsDeps, knex: Knex): PaymentsDeps {
  return { ...deps, knex, payments: new PaymentStore(knex) };
}

export function providerFor(deps: PaymentsDeps, payment: Payment): PaymentProvider {
  const provider = deps.providers.get(payment.state.provider);
  if (!provider) throw PaymentsError.providerNotConfigured(payment.state.provider);
  return provider;
}
