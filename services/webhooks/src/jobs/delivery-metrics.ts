/**
 * Prometheus metrics of outbound webhooks, on the app's registry: attempts by
 * outcome, how long receivers take, and what waits (the backlog) or gave up
 * (failed deliveries waiting for a replay). Gauges are measured when scraped.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { withinDeadline } from '@fusioncommerce/platform';
import type { AttemptOutcome } from '../domain/delivery.ts';
import type { AttemptObserver } from '../use-cases/deliver-webhooks.ts';
import type { DeliveryStore } from '../store/delivery-store.ts';

export function deliveryMetrics(registry: Registry, deliveries: DeliveryStore): AttemptObserver {
  const registers = [registry];
  const attempts = new Counter({
    name: 'webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome: delivered, retrying (failed, tried again later) or failed (gave up)',
    labelNames: ['outcome'],
    registers,
  });
  const latency = new Histogram({
    name: 'webhook_delivery_duration_seconds',
    help: 'How long one delivery attempt took, request to answer (or timeout), by outcome',
    labelNames: ['outcome'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  // A database that fails or does not answer in time must not break the scrape: a gauge then keeps its last value.
  const measured = (name: string, help: string, count: () => Promise<number>) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        const value = await withinDeadline(count(), undefined);
        if (value !== undefined) this.set(value);
      },
    });
  measured('webhook_delivery_backlog', 'Webhook deliveries waiting to be sent or being sent, for active subscriptions', () => deliveries.backlog());
  measured('webhook_deliveries_failed', 'Webhook deliveries that gave up and wait for a replay; alert on > 0', () => deliveries.failedCount());
  for (const outcome of ['delivered', 'retrying', 'failed'] satisfies AttemptOutcome[]) attempts.inc({ outcome }, 0);
  return {
    attempted(outcome, durationMs) {
      attempts.inc({ outcome });
      latency.observe({ outcome }, durationMs / 1000);
    },
  };
}
