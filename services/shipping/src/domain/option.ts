/** A shipping option's invariants beyond what the request schema can say: bands that climb, countries once, days that make sense. */
import type { FieldError } from '@fusioncommerce/platform';
import type { ShippingRules } from '@fusioncommerce/contracts';
import { ShippingError } from './errors.ts';

export type OptionStatus = 'active' | 'archived';

export interface EstimatedDays {
  min: number;
  max: number;
}

export interface OptionState {
  id: string;
  name: string;
  description: string | null;
  carrier: string;
  estimatedDays: EstimatedDays | null;
  rules: ShippingRules;
  status: OptionStatus;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
}

/** Throws SHIPPING.INVALID_RULES (400, with pointers under `prefix`) unless the rules and estimate are coherent. */
export function assertCoherent(rules: ShippingRules, estimatedDays: EstimatedDays | null, prefix = '/body'): void {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  rules.countries.forEach((c, i) => {
    if (seen.has(c)) errors.push({ pointer: `${prefix}/countries/${i}`, message: `repeats ${c}` });
    seen.add(c);
  });
  if (rules.rate.type === 'weight') {
    rules.rate.bands.forEach((band, i, bands) => {
      const previous = bands[i - 1];
      if (previous && band.upToGrams <= previous.upToGrams) errors.push({ pointer: `${prefix}/rate/bands/${i}/upToGrams`, message: 'must be greater than the band before' });
    });
  }
  if (estimatedDays && estimatedDays.max < estimatedDays.min) errors.push({ pointer: `${prefix}/estimatedDays/max`, message: 'must not be less than min' });
  if (errors.length) throw ShippingError.invalidRules(errors);
}
