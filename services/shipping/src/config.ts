/** Shipping settings, read once at start-up: how the built-in manual carrier links to tracking pages. */
import { ConfigError, loadConfig } from '@fusioncommerce/platform';
import { Type } from 'typebox';

export const ShippingConfigSchema = Type.Object({
  /**
   * Tracking page of the manual carrier, with `{trackingNumber}` where the number goes,
   * e.g. `https://track.example.com/?n={trackingNumber}`. Unset: manual shipments link to nothing
   * unless the admin gives a tracking URL when shipping.
   */
  SHIPPING_MANUAL_TRACKING_URL: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
});

export interface ShippingSettings {
  manualTrackingUrlTemplate: string | null;
}

export const DEFAULT_SETTINGS: ShippingSettings = { manualTrackingUrlTemplate: null };

/** Validates the shipping variables of `env`; throws ConfigError with one clear line. */
export function loadShippingSettings(env: Record<string, string | undefined> = process.env): ShippingSettings {
  const values = loadConfig(ShippingConfigSchema, env);
  const template = values.SHIPPING_MANUAL_TRACKING_URL ?? null;
  if (template !== null && (!/^https?:\/\/\S+$/.test(template) || !template.includes('{trackingNumber}'))) {
    throw new ConfigError('Invalid configuration: SHIPPING_MANUAL_TRACKING_URL must be an http(s) URL containing {trackingNumber}.');
  }
  return { manualTrackingUrlTemplate: template };
}
