import { describe, expect, it } from 'vitest';
import { ConfigError } from '@fusioncommerce/platform';
import { manualCarrier } from '../src/carriers/carrier.ts';
import { loadShippingSettings } from '../src/config.ts';

describe('shipping settings and the manual carrier', () => {
  it('when no tracking URL is set, then manual shipments link to nothing', () => {
    const settings = loadShippingSettings({});
    expect(settings).toEqual({ manualTrackingUrlTemplate: null });
    expect(manualCarrier(settings).trackingUrl('ABC 1')).toBeNull();
  });

  it('when a tracking URL template is set, then the number is put in it, encoded', () => {
    const settings = loadShippingSettings({ SHIPPING_MANUAL_TRACKING_URL: 'https://track.example.com/?n={trackingNumber}' });
    expect(manualCarrier(settings).trackingUrl('ABC 1/2')).toBe('https://track.example.com/?n=ABC%201%2F2');
  });

  it('when the template is not an http(s) URL with {trackingNumber}, then start-up stops with one clear line', () => {
    for (const bad of ['ftp://track.example.com/{trackingNumber}', 'https://track.example.com/', 'track {trackingNumber}']) {
      expect(() => loadShippingSettings({ SHIPPING_MANUAL_TRACKING_URL: bad })).toThrow(ConfigError);
      expect(() => loadShippingSettings({ SHIPPING_MANUAL_TRACKING_URL: bad })).toThrow(/SHIPPING_MANUAL_TRACKING_URL/);
    }
  });
});
