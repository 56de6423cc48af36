/**
 * Prometheus metrics of the event backbone, on the app's registry: outbox
 * backlog, publish latency, consumer lag per group, dead letters, and what
 * consumers did with each event. Gauges are measured when scraped.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DeliveryOutcome } from './consumer.ts';

export interface EventMetricSources {
  /** Unpublished outbox rows per producing service. */
  backlog(): Promise<{ service: string; count: number }[]>;
  /** Events not yet settled per consumer group. */
  lag(): Promise<{ group: string; count: number }[]>;
  /** Dead letters not replayed, per consumer group. */
  deadLetters(): Promise<{ group: string; count: number }[]>;
}

const SCRAPE_DEADLINE_MS = 1500;

/** A broker or database that does not answer must not hang /metrics: its gauge keeps the last value it had. */
export function withinDeadline<T>(work: Promise<T>, fallback: T): Promise<T> {
  return new Promise<T>((resolve) => {
    const timer = setTimeout(() => resolve(fallback), SCRAPE_DEADLINE_MS);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}

export class EventMetrics {
  // `producer`, not `service`: every metric already carries the process's `service` label.
  readonly published: Counter<'producer'>;
  readonly publishFailures: Counter<'producer'>;
  readonly publishLatency: Histogram<'producer'>;
  readonly consumed: Counter<'consumer_group' | 'type' | 'outcome'>;

  constructor(registry: Registry, sources: EventMetricSources) {
    const registers = [registry];
    this.published = new Counter({ name: 'events_published_total', help: 'Events the relay published', labelNames: ['producer'], registers });
    this.publishFailures = new Counter({
      name: 'events_publish_failures_total',
      help: 'Relay batches the transport refused (they are retried)',
      labelNames: ['producer'],
      registers,
    });
    this.publishLatency = new Histogram({
      name: 'events_publish_latency_seconds',
      help: 'From the commit that recorded an event to the transport accepting it',
      labelNames: ['producer'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.consumed = new Counter({
      name: 'events_consumed_total',
      help: 'Events settled by consumers, by outcome (handled, duplicate, ignored, dead_lettered)',
      labelNames: ['consumer_group', 'type', 'outcome'],
      registers,
    });
    new Gauge({
      name: 'events_outbox_backlog',
      help: 'Events committed to the outbox and not yet published',
      labelNames: ['producer'],
      registers,
      async collect() {
        const rows = await withinDeadline(sources.backlog(), undefined);
        if (!rows) return;
        this.reset();
        for (const { service, count } of rows) this.set({ producer: service }, count);
      },
    });
    new Gauge({
      name: 'events_consumer_lag',
      help: 'Events published and not yet settled, per consumer group',
      labelNames: ['consumer_group'],
      registers,
      async collect() {
        const rows = await withinDeadline(sources.lag(), undefined);
        if (!rows) return;
        this.reset();
        for (const { group, count } of rows) this.set({ consumer_group: group }, count);
      },
    });
    new Gauge({
      name: 'events_dead_letters',
      help: 'Dead letters waiting for an operator (not replayed)',
      labelNames: ['consumer_group'],
      registers,
      async collect() {
        const rows = await withinDeadline(sources.deadLetters(), undefined);
        if (!rows) return;
        this.reset();
        for (const { group, count } of rows) this.set({ consumer_group: group }, count);
      },
    });
  }

  observePublished(producer: string, rows: { time: Date }[]): void {
    const now = Date.now();
    this.published.inc({ producer }, rows.length);
    for (const row of rows) this.publishLatency.observe({ producer }, Math.max(0, now - new Date(row.time).getTime()) / 1000);
  }

  observeOutcome(group: string, type: string, outcome: DeliveryOutcome): void {
    this.consumed.inc({ consumer_group: group, type, outcome });
  }
}
