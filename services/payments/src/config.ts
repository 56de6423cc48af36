/**
 * Payments settings, read once at start-up: which provider takes the money,
 * and Stripe's keys when it is Stripe. The Stripe provider refuses to start
 * without its secret key and webhook signing secret.
 */
import { ConfigError, loadConfig } from '@fusioncommerce/platform';
import { Type, type Static } from 'typebox';

export const PaymentsConfigSchema = Type.Object({
  PAYMENTS_PROVIDER: Type.Optional(Type.Enum(['test', 'stripe'])),
  STRIPE_SECRET_KEY: Type.Optional(Type.String({ pattern: '^(sk|rk)_(test|live)_[A-Za-z0-9_]{8,}$' })),
  STRIPE_WEBHOOK_SECRET: Type.Optional(Type.String({ pattern: '^whsec_[A-Za-z0-9+/=_-]{8,}$' })),
  /** Another Stripe API endpoint, e.g. stripe-mock in a compose file: http://stripe-mock:12111 */
  STRIPE_API_URL: Type.Optional(Type.String({ pattern: '^https?://[^/\\s]+/?$' })),
  STRIPE_TIMEOUT_MS: Type.Optional(Type.Integer({ minimum: 100, maximum: 120_000 })),
  STRIPE_MAX_NETWORK_RETRIES: Type.Optional(Type.Integer({ minimum: 0, maximum: 5 })),
  /** How old a signed webhook may be, in seconds (Stripe's default is 300). */
  STRIPE_WEBHOOK_TOLERANCE_SECONDS: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
});

export type PaymentsEnv = Static<typeof PaymentsConfigSchema>;

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  timeoutMs: number;
  maxNetworkRetries: number;
  webhookToleranceSeconds: number;
}

export interface PaymentsConfig {
  provider: 'test' | 'stripe';
  stripe: StripeSettings | null;
}

/** Validates the payments variables of `env`; throws ConfigError with one clear line. */
export function loadPaymentsConfig(env: Record<string, string | undefined> = process.env): PaymentsConfig {
  const values = loadConfig(PaymentsConfigSchema, env);
  const provider = values.PAYMENTS_PROVIDER ?? 'test';
  if (provider === 'test') return { provider, stripe: null };
  const missing = (['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] as const).filter((name) => !values[name]);
  if (missing.length > 0) {
    throw new ConfigError(`Invalid configuration: PAYMENTS_PROVIDER=stripe needs ${missing.join(' and ')} (from the Stripe dashboard).`);
  }
  let endpoint: Pick<StripeSettings, 'host' | 'port' | 'protocol'> = {};
  if (values.STRIPE_API_URL) {
    const url = new URL(values.STRIPE_API_URL);
    endpoint = {
      host: url.hostname,
      port: url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443,
      protocol: url.protocol === 'http:' ? 'http' : 'https',
    };
  }
  return {
    provider,
    stripe: {
      secretKey: values.STRIPE_SECRET_KEY as string,
      webhookSecret: values.STRIPE_WEBHOOK_SECRET as string,
      ...endpoint,
      timeoutMs: values.STRIPE_TIMEOUT_MS ?? 10_000,
      maxNetworkRetries: values.STRIPE_MAX_NETWORK_RETRIES ?? 1,
      webhookToleranceSeconds: values.STRIPE_WEBHOOK_TOLERANCE_SECONDS ?? 300,
    },
  };
}
