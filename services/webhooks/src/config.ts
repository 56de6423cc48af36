/**
 * Webhook settings, read once at start-up: how the delivery worker polls,
 * how long it waits for a receiver, how often and how patiently it retries,
 * whether receivers may sit on private networks, and how long the delivery
 * log is kept.
 */
import { CommonSettings, ConfigError, loadConfig } from '@fusioncommerce/platform';
import { Type } from 'typebox';

export const WebhooksConfigSchema = Type.Object({
  NODE_ENV: CommonSettings.NODE_ENV,
  /** How often this process looks for due deliveries, in ms (default 1000); 0 runs no worker here. */
  WEBHOOKS_DELIVERY_POLL_MS: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000 })),
  /** Deliveries claimed (and sent in parallel) per round (default 10). */
  WEBHOOKS_DELIVERY_BATCH_SIZE: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  /** How long one attempt may take, connection to last byte, in ms (default 10000). */
  WEBHOOKS_DELIVERY_TIMEOUT_MS: Type.Optional(Type.Integer({ minimum: 100, maximum: 120_000 })),
  /** Attempts before a delivery is `failed` (default 10). */
  WEBHOOKS_MAX_ATTEMPTS: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  /** Wait before the first retry, doubling each time, in ms (default 10000). */
  WEBHOOKS_RETRY_INITIAL_MS: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400_000 })),
  /** Longest wait between two attempts, in ms (default 3600000). */
  WEBHOOKS_RETRY_MAX_MS: Type.Optional(Type.Integer({ minimum: 0, maximum: 7 * 86_400_000 })),
  /** Receivers on loopback, private, link-local and similar addresses (default: true in development and test, false in staging and production). */
  WEBHOOKS_ALLOW_PRIVATE_URLS: Type.Optional(Type.Boolean()),
  /** Days finished deliveries (delivered or failed) stay in the log (default 30). */
  WEBHOOKS_DELIVERY_RETENTION_DAYS: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  /** How often each process reloads which event types are subscribed to, in ms (default 1000): a subscription saved elsewhere is seen within this. */
  WEBHOOKS_SUBSCRIPTIONS_REFRESH_MS: Type.Optional(Type.Integer({ minimum: 50, maximum: 600_000 })),
});

export interface WebhooksSettings {
  deliveryPollMs: number;
  deliveryBatchSize: number;
  deliveryTimeoutMs: number;
  maxAttempts: number;
  retryInitialMs: number;
  retryMaxMs: number;
  allowPrivateUrls: boolean;
  retentionDays: number;
  subscriptionsRefreshMs: number;
}

export const DEFAULT_SETTINGS: WebhooksSettings = {
  deliveryPollMs: 1000,
  deliveryBatchSize: 10,
  deliveryTimeoutMs: 10_000,
  maxAttempts: 10,
  retryInitialMs: 10_000,
  retryMaxMs: 3_600_000,
  allowPrivateUrls: true,
  retentionDays: 30,
  subscriptionsRefreshMs: 1000,
};

/** Validates the webhook variables of `env`; throws ConfigError with one clear line. */
export function loadWebhooksSettings(env: Record<string, string | undefined> = process.env): WebhooksSettings {
  const values = loadConfig(WebhooksConfigSchema, env);
  const retryInitialMs = values.WEBHOOKS_RETRY_INITIAL_MS ?? DEFAULT_SETTINGS.retryInitialMs;
  const retryMaxMs = values.WEBHOOKS_RETRY_MAX_MS ?? Math.max(DEFAULT_SETTINGS.retryMaxMs, retryInitialMs);
  if (retryMaxMs < retryInitialMs) {
    throw new ConfigError('Invalid configuration: WEBHOOKS_RETRY_MAX_MS must not be less than WEBHOOKS_RETRY_INITIAL_MS.');
  }
  // A shop's own network is the attacker's favourite target: outside development, receivers must be public unless the operator says otherwise.
  const deployed = values.NODE_ENV === 'staging' || values.NODE_ENV === 'production';
  return {
    deliveryPollMs: values.WEBHOOKS_DELIVERY_POLL_MS ?? DEFAULT_SETTINGS.deliveryPollMs,
    deliveryBatchSize: values.WEBHOOKS_DELIVERY_BATCH_SIZE ?? DEFAULT_SETTINGS.deliveryBatchSize,
    deliveryTimeoutMs: values.WEBHOOKS_DELIVERY_TIMEOUT_MS ?? DEFAULT_SETTINGS.deliveryTimeoutMs,
    maxAttempts: values.WEBHOOKS_MAX_ATTEMPTS ?? DEFAULT_SETTINGS.maxAttempts,
    retryInitialMs,
    retryMaxMs,
    allowPrivateUrls: values.WEBHOOKS_ALLOW_PRIVATE_URLS ?? !deployed,
    retentionDays: values.WEBHOOKS_DELIVERY_RETENTION_DAYS ?? DEFAULT_SETTINGS.retentionDays,
    subscriptionsRefreshMs: values.WEBHOOKS_SUBSCRIPTIONS_REFRESH_MS ?? DEFAULT_SETTINGS.subscriptionsRefreshMs,
  };
}
