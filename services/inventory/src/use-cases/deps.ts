import type { Knex } from 'knex';
import { DEFAULT_SETTINGS, type InventorySettings } from '../config.ts';
import { INVENTORY_SCHEMA } from '../migrations.ts';
import { LocationStore } from '../store/location-store.ts';
import { ReservationStore } from '../store/reservation-store.ts';
import { StockQueries } from '../store/stock-queries.ts';
import { StockStore } from '../store/stock-store.ts';

/** What inventory's use cases work with; built once per process. */
export interface InventoryDeps {
  knex: Knex;
  schema: string;
  locations: LocationStore;
  stock: StockStore;
  reservations: ReservationStore;
  queries: StockQueries;
  settings: InventorySettings;
  now: () => Date;
}

export function inventoryDeps(knex: Knex, settings: Partial<InventorySettings> = {}, now: () => Date = () => new Date()): InventoryDeps {
  return {
    knex,
    schema: INVENTORY_SCHEMA,
    locations: new LocationStore(knex),
    stock: new StockStore(knex),
    reservations: new ReservationStore(knex),
    queries: new StockQueries(knex),
    settings: { ...DEFAULT_SETTINGS, ...settings },
    now,
  };
}

/** Who made a change, as the movement log records it: a principal's id, or `system:<job>`. */
export type Actor = string;

export const SYSTEM = {
  expirySweep: 'system:expiry-sweep',
  catalogSync: 'system:catalog-sync',
  demoSeed: 'system:demo-seed',
} as const;
