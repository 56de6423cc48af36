import { describe, expect, it } from 'vitest';
import { ConfigError } from '@fusioncommerce/platform';
import { DEFAULT_SETTINGS, loadWebhooksSettings } from '../src/config.ts';

describe('webhooks settings', () => {
  it('when nothing is set, then the defaults apply and private receivers are allowed (development: n8n is on the compose network)', () => {
    expect(loadWebhooksSettings({})).toEqual(DEFAULT_SETTINGS);
    expect(loadWebhooksSettings({ NODE_ENV: 'test' }).allowPrivateUrls).toBe(true);
  });

  it('when the process runs in staging or production, then private receivers are refused unless the operator allows them', () => {
    expect(loadWebhooksSettings({ NODE_ENV: 'production' }).allowPrivateUrls).toBe(false);
    expect(loadWebhooksSettings({ NODE_ENV: 'staging' }).allowPrivateUrls).toBe(false);
    expect(loadWebhooksSettings({ NODE_ENV: 'production', WEBHOOKS_ALLOW_PRIVATE_URLS: 'true' }).allowPrivateUrls).toBe(true);
    expect(loadWebhooksSettings({ WEBHOOKS_ALLOW_PRIVATE_URLS: 'false' }).allowPrivateUrls).toBe(false);
  });

  it('when values are set, then they are read', () => {
    expect(
      loadWebhooksSettings({
        WEBHOOKS_DELIVERY_POLL_MS: '0',
        WEBHOOKS_DELIVERY_BATCH_SIZE: '5',
        WEBHOOKS_DELIVERY_TIMEOUT_MS: '2500',
        WEBHOOKS_MAX_ATTEMPTS: '4',
        WEBHOOKS_RETRY_INITIAL_MS: '1000',
        WEBHOOKS_RETRY_MAX_MS: '8000',
        WEBHOOKS_DELIVERY_RETENTION_DAYS: '7',
        WEBHOOKS_SUBSCRIPTIONS_REFRESH_MS: '250',
      }),
    ).toEqual({
      deliveryPollMs: 0,
      deliveryBatchSize: 5,
      deliveryTimeoutMs: 2500,
      maxAttempts: 4,
      retryInitialMs: 1000,
      retryMaxMs: 8000,
      allowPrivateUrls: true,
      retentionDays: 7,
      subscriptionsRefreshMs: 250,
    });
  });

  it('when a value is wrong, then start-up stops with one clear line naming it', () => {
    expect(() => loadWebhooksSettings({ WEBHOOKS_DELIVERY_POLL_MS: 'often' })).toThrow(ConfigError);
    expect(() => loadWebhooksSettings({ WEBHOOKS_MAX_ATTEMPTS: '0' })).toThrow(/WEBHOOKS_MAX_ATTEMPTS/);
    expect(() => loadWebhooksSettings({ WEBHOOKS_DELIVERY_TIMEOUT_MS: '10' })).toThrow(/WEBHOOKS_DELIVERY_TIMEOUT_MS/);
    expect(() => loadWebhooksSettings({ WEBHOOKS_ALLOW_PRIVATE_URLS: 'maybe' })).toThrow(/WEBHOOKS_ALLOW_PRIVATE_URLS/);
    expect(() => loadWebhooksSettings({ WEBHOOKS_RETRY_INITIAL_MS: '5000', WEBHOOKS_RETRY_MAX_MS: '1000' })).toThrow(/WEBHOOKS_RETRY_MAX_MS/);
  });
});
