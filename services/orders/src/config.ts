/** Orders' own settings, validated once when the service is built. */
import { Type } from 'typebox';
import { loadConfig } from '@fusioncommerce/platform';
import { DEFAULT_SETTINGS, type OrdersSettings } from './use-cases/deps.ts';

const OrdersConfigSchema = Type.Object({
  CHECKOUT_WAIT_MS: Type.Optional(Type.Integer({ minimum: 0, maximum: 30_000 })),
  ORDER_PENDING_TIMEOUT_MS: Type.Optional(Type.Integer({ minimum: 1_000, maximum: 86_400_000 })),
  ORDER_SWEEP_INTERVAL_MS: Type.Optional(Type.Integer({ minimum: 100, maximum: 3_600_000 })),
  CAPTURE_PAYMENT_ON: Type.Optional(Type.Enum(['confirmation', 'shipment'])),
  CHECKOUT_CONCURRENCY: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});

export function ordersSettingsFrom(env: Record<string, string | undefined>): OrdersSettings {
  const c = loadConfig(OrdersConfigSchema, env);
  return {
    checkoutWaitMs: c.CHECKOUT_WAIT_MS ?? DEFAULT_SETTINGS.checkoutWaitMs,
    pendingTimeoutMs: c.ORDER_PENDING_TIMEOUT_MS ?? DEFAULT_SETTINGS.pendingTimeoutMs,
    sweepIntervalMs: c.ORDER_SWEEP_INTERVAL_MS ?? DEFAULT_SETTINGS.sweepIntervalMs,
    captureOnConfirm: (c.CAPTURE_PAYMENT_ON ?? 'confirmation') === 'confirmation',
    checkoutConcurrency: c.CHECKOUT_CONCURRENCY ?? DEFAULT_SETTINGS.checkoutConcurrency,
  };
}
