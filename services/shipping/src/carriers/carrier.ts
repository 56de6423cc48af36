/**
 * Carriers: who takes a parcel and where its tracking page is. The built-in
 * `manual` carrier is the merchant's own choice of courier: the admin types
 * the tracking number (and the courier's name), and the tracking URL comes
 * from SHIPPING_MANUAL_TRACKING_URL or what the admin gives. Integrations
 * with carriers' APIs implement the same interface.
 */
import type { ShippingSettings } from '../config.ts';

export interface Carrier {
  /** Stable code stored on options and shipments: `manual`. */
  code: string;
  name: string;
  /** The public tracking page of a parcel, if the carrier has one. */
  trackingUrl(trackingNumber: string): string | null;
}

export function manualCarrier(settings: ShippingSettings): Carrier {
  const template = settings.manualTrackingUrlTemplate;
  return {
    code: 'manual',
    name: 'Manual (your own courier)',
    trackingUrl: (trackingNumber) => (template ? template.replaceAll('{trackingNumber}', encodeURIComponent(trackingNumber)) : null),
  };
}

export class CarrierRegistry {
  private readonly byCode = new Map<string, Carrier>();

  constructor(carriers: Carrier[]) {
    for (const carrier of carriers) this.byCode.set(carrier.code, carrier);
  }

  get(code: string): Carrier | undefined {
    return this.byCode.get(code);
  }

  codes(): string[] {
    return [...this.byCode.keys()];
  }
}

export function carriersFor(settings: ShippingSettings): CarrierRegistry {
  return new CarrierRegistry([manualCarrier(settings)]);
}
