/** What shipping's use cases work with; built once per process. */
import type { Knex } from 'knex';
import { carriersFor, type CarrierRegistry } from '../carriers/carrier.ts';
import { DEFAULT_SETTINGS, type ShippingSettings } from '../config.ts';
import { OptionStore } from '../store/option-store.ts';
import { ShipmentStore } from '../store/shipment-store.ts';

export interface ShippingDeps {
  knex: Knex;
  options: OptionStore;
  shipments: ShipmentStore;
  carriers: CarrierRegistry;
  settings: ShippingSettings;
  now: () => Date;
}

export function shippingDeps(knex: Knex, settings: Partial<ShippingSettings> = {}, now: () => Date = () => new Date()): ShippingDeps {
  const resolved = { ...DEFAULT_SETTINGS, ...settings };
  return {
    knex,
    options: new OptionStore(knex),
    shipments: new ShipmentStore(knex),
    carriers: carriersFor(resolved),
    settings: resolved,
    now,
  };
}
