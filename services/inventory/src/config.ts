/**
 * Inventory settings, read once at start-up: how long reservations hold stock,
 * how often the expiry sweep runs, and what the storefront is told.
 */
import { ConfigError, loadConfig } from '@fusioncommerce/platform';
import { Type, type Static } from 'typebox';

const THIRTY_DAYS = 30 * 24 * 3600;

export const InventoryConfigSchema = Type.Object({
  /** How long a reservation holds stock when the caller names no TTL (default 900: a checkout's 15 minutes). */
  INVENTORY_RESERVATION_TTL_SECONDS: Type.Optional(Type.Integer({ minimum: 1, maximum: THIRTY_DAYS })),
  /** The longest a caller may ask for (default 30 days: a group deal's window). */
  INVENTORY_RESERVATION_MAX_TTL_SECONDS: Type.Optional(Type.Integer({ minimum: 1, maximum: THIRTY_DAYS })),
  /** How often the expiry sweep runs, in ms (default 15000); 0 turns it off in this process. */
  INVENTORY_SWEEP_INTERVAL_MS: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000 })),
  /** Reservations released per sweep transaction (default 100). */
  INVENTORY_SWEEP_BATCH_SIZE: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  /** Low-stock threshold of SKUs that have none of their own (default 5). */
  INVENTORY_LOW_STOCK_THRESHOLD: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  /** The storefront sees quantities up to this number, never more (default 10). */
  INVENTORY_AVAILABILITY_CAP: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});

export type InventoryEnv = Static<typeof InventoryConfigSchema>;

export interface InventorySettings {
  defaultTtlSeconds: number;
  maxTtlSeconds: number;
  sweepIntervalMs: number;
  sweepBatchSize: number;
  defaultLowStockThreshold: number;
  availabilityCap: number;
}

export const DEFAULT_SETTINGS: InventorySettings = {
  defaultTtlSeconds: 900,
  maxTtlSeconds: THIRTY_DAYS,
  sweepIntervalMs: 15_000,
  sweepBatchSize: 100,
  defaultLowStockThreshold: 5,
  availabilityCap: 10,
};

/** Validates the inventory variables of `env`; throws ConfigError with one clear line. */
export function loadInventorySettings(env: Record<string, string | undefined> = process.env): InventorySettings {
  const values = loadConfig(InventoryConfigSchema, env);
  const settings: InventorySettings = {
    defaultTtlSeconds: values.INVENTORY_RESERVATION_TTL_SECONDS ?? DEFAULT_SETTINGS.defaultTtlSeconds,
    maxTtlSeconds: values.INVENTORY_RESERVATION_MAX_TTL_SECONDS ?? DEFAULT_SETTINGS.maxTtlSeconds,
    sweepIntervalMs: values.INVENTORY_SWEEP_INTERVAL_MS ?? DEFAULT_SETTINGS.sweepIntervalMs,
    sweepBatchSize: values.INVENTORY_SWEEP_BATCH_SIZE ?? DEFAULT_SETTINGS.sweepBatchSize,
    defaultLowStockThreshold: values.INVENTORY_LOW_STOCK_THRESHOLD ?? DEFAULT_SETTINGS.defaultLowStockThreshold,
    availabilityCap: values.INVENTORY_AVAILABILITY_CAP ?? DEFAULT_SETTINGS.availabilityCap,
  };
  if (settings.defaultTtlSeconds > settings.maxTtlSeconds) {
    throw new ConfigError('Invalid configuration: INVENTORY_RESERVATION_TTL_SECONDS must not exceed INVENTORY_RESERVATION_MAX_TTL_SECONDS.');
  }
  return settings;
}
