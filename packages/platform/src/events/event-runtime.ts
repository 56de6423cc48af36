/**
 * The event backbone of one process: a transport, a relay per producing
 * service, a consumer per consuming service, their metrics, and what the
 * admin endpoints ask of them. Entry points build it from config, start it
 * after the app is ready and stop it before the database closes.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import type { Registry } from 'prom-client';
import type { Page } from '../http/pagination.ts';
import { ConfigError } from '../config/load-config.ts';
import { AppError } from '../errors.ts';
import type { DatabaseKind } from '../db/database.ts';
import { EventConsumer, type ConsumedEvent } from './consumer.ts';
import { EventMetrics } from './event-metrics.ts';
import {
  EventTables,
  deadLetterView,
  listDeadLetters,
  listRecentEvents,
  type DeadLetterListQuery,
  type DeadLetterView,
  type EventListQuery,
  type EventView,
} from './event-queries.ts';
import { eventSettings, transportKindFor, type EventSettings, type EventsConfig, type TransportKind } from './events-config.ts';
import { InProcessTransport } from './in-process-transport.ts';
import { KafkaTransport } from './kafka-transport.ts';
import { PostgresTransport } from './postgres-transport.ts';
import { OutboxRelay } from './relay.ts';
import { topicFor, type EventTransport, type Subscription } from './transport.ts';

export interface EventProducer {
  service: string;
  /** The schema holding its outbox. */
  schema: string;
}

export interface EventConsumerSpec {
  /** The consumer group: the consuming service's name. */
  group: string;
  /** The schema holding its inbox and dead letters. */
  schema: string;
  handlers: ConsumedEvent[];
}

export interface EventRuntimeOptions {
  knex: Knex;
  databaseKind: DatabaseKind;
  transport: EventTransport;
  producers: EventProducer[];
  consumers: EventConsumerSpec[];
  settings: EventSettings;
  log: FastifyBaseLogger;
  /** The app's registry (`app.metrics`); without one, no metrics. */
  registry?: Registry;
  /** Close the transport on stop (default true; false when several runtimes share one in tests). */
  ownsTransport?: boolean;
}

export class EventRuntime {
  readonly transport: EventTransport;
  readonly relays = new Map<string, OutboxRelay>();
  readonly consumers = new Map<string, EventConsumer>();
  private readonly subscriptions: Subscription[] = [];
  private readonly tables: EventTables;
  private readonly metrics: EventMetrics | undefined;
  private started = false;

  constructor(private readonly options: EventRuntimeOptions) {
    this.transport = options.transport;
    this.tables = new EventTables(options.knex);
    const { settings } = options;
    this.metrics = options.registry
      ? new EventMetrics(options.registry, {
          backlog: () => this.backlog(),
          lag: () => Promise.all(this.consumerList.map(async (c) => ({ group: c.group, count: await this.transport.lag(c.group, c.topics(settings.topicPrefix)) }))),
          deadLetters: () => this.deadLetterCounts(),
        })
      : undefined;
    for (const producer of options.producers) {
      this.relays.set(
        producer.service,
        new OutboxRelay({
          knex: options.knex,
          schema: producer.schema,
          topic: topicFor(settings.topicPrefix, producer.service),
          transport: this.transport,
          batchSize: settings.relayBatchSize,
          pollIntervalMs: settings.pollIntervalMs,
          retryInitialMs: settings.retryInitialMs,
          retryMaxMs: settings.retryMaxMs,
          exclusive: options.databaseKind === 'postgres',
          log: options.log,
          onPublished: (rows) => this.metrics?.observePublished(producer.service, rows),
          onFailed: () => this.metrics?.publishFailures.inc({ producer: producer.service }),
        }),
      );
    }
    for (const spec of options.consumers) {
      if (this.consumers.has(spec.group)) throw new Error(`two consumers in one process share the group ${spec.group}`);
      this.consumers.set(
        spec.group,
        new EventConsumer({
          group: spec.group,
          schema: spec.schema,
          knex: options.knex,
          handlers: spec.handlers,
          maxAttempts: settings.maxAttempts,
          retryInitialMs: settings.retryInitialMs,
          retryMaxMs: settings.retryMaxMs,
          log: options.log,
          onOutcome: (outcome, event) => this.metrics?.observeOutcome(spec.group, event.type, outcome),
        }),
      );
    }
  }

  private get consumerList(): EventConsumer[] {
    return [...this.consumers.values()];
  }

  /** Joins the consumer groups first, so the first batch a relay publishes already finds them. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.transport.start();
    for (const consumer of this.consumerList) {
      this.subscriptions.push(await this.transport.subscribe(consumer.group, consumer.topics(this.options.settings.topicPrefix), consumer.deliver));
    }
    for (const relay of this.relays.values()) relay.start();
    this.options.log.info(
      { transport: this.transport.kind, producers: [...this.relays.keys()], consumers: [...this.consumers.keys()] },
      `events flowing over the ${this.transport.kind} transport`,
    );
  }

  /**
   * Relays and consumers stop together: a consumer waiting to retry hands its
   * event back at once instead of holding up the shutdown (it stays unsettled
   * and comes again), then the subscriptions and the transport close.
   */
  async stop(): Promise<void> {
    await Promise.all([...[...this.relays.values()].map((r) => r.stop()), ...this.consumerList.map((c) => c.stop())]);
    await Promise.all(this.subscriptions.map((s) => s.stop()));
    this.subscriptions.length = 0;
    if (this.options.ownsTransport !== false) await this.transport.close();
  }

  /** Readiness: throws while the broker is unreachable. */
  check(): Promise<void> {
    return this.transport.check();
  }

  /** Publishes everything committed so far (tests, and an operator's "flush before shutdown"). */
  async drain(): Promise<number> {
    let total = 0;
    for (const relay of this.relays.values()) total += await relay.drain();
    return total;
  }

  listEvents(query: EventListQuery): Promise<Page<EventView>> {
    return listRecentEvents(this.options.knex, this.tables, this.options.producers, query);
  }

  listDeadLetters(query: DeadLetterListQuery): Promise<Page<DeadLetterView>> {
    return listDeadLetters(this.options.knex, this.tables, this.options.consumers, query);
  }

  async deadLetter(id: string): Promise<DeadLetterView> {
    return deadLetterView((await this.ownerOf(id)).row);
  }

  /** Runs the owning consumer's handler on the dead letter again, now. */
  async replay(id: string): Promise<DeadLetterView> {
    const { consumer } = await this.ownerOf(id);
    return deadLetterView(await consumer.replay(id));
  }

  private async ownerOf(id: string) {
    for (const consumer of this.consumerList) {
      if (!(await this.tables.exists(`${consumer.schema}.dead_letters`))) continue;
      const row = await consumer.findDeadLetter(id);
      if (row) return { consumer, row };
    }
    throw new AppError('EVENTS.DEAD_LETTER_NOT_FOUND', 'not_found', `There is no dead letter ${id}.`);
  }

  /** Events committed and not yet published, across this process's outboxes. */
  async pendingEvents(): Promise<number> {
    return (await this.backlog()).reduce((sum, b) => sum + b.count, 0);
  }

  /**
   * Publishes until every outbox is empty, events that handlers record along
   * the way included: what a test waits for before it looks at the outcome
   * of a chain of events. Throws at the deadline.
   */
  async settle(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const published = await this.drain();
      if (published === 0 && (await this.pendingEvents()) === 0) return;
      if (Date.now() > until) throw new Error(`events still pending after ${timeoutMs} ms`);
      // Another replica's relay (or this process's own loop) holds the outbox lock: give it a moment.
      if (published === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async backlog(): Promise<{ service: string; count: number }[]> {
    const counts = await Promise.all(
      this.options.producers.map(async ({ service, schema }) => {
        if (!(await this.tables.exists(`${schema}.outbox`))) return undefined;
        const [row] = (await this.options.knex(`${schema}.outbox`).whereNull('published_at').count({ count: '*' })) as { count: number | string }[];
        return { service, count: Number(row?.count ?? 0) };
      }),
    );
    return counts.filter((c) => c !== undefined);
  }

  private async deadLetterCounts(): Promise<{ group: string; count: number }[]> {
    const counts = await Promise.all(
      this.consumerList.map(async ({ group, schema }) => {
        if (!(await this.tables.exists(`${schema}.dead_letters`))) return undefined;
        const [row] = (await this.options.knex(`${schema}.dead_letters`).where({ consumer_group: group, status: 'dead' }).count({ count: '*' })) as {
          count: number | string;
        }[];
        return { group, count: Number(row?.count ?? 0) };
      }),
    );
    return counts.filter((c) => c !== undefined);
  }
}

export interface TransportDeps {
  knex: Knex;
  /** The database URL, for the PostgreSQL log's LISTEN connection. */
  databaseUrl?: string;
  log: FastifyBaseLogger;
  /** Names this process to the broker. */
  clientId: string;
}

export function createTransport(kind: TransportKind, config: EventsConfig, deps: TransportDeps): EventTransport {
  const settings = eventSettings(config);
  switch (kind) {
    case 'in-process':
      // On a real server, several subjects' handlers can hold connections at once; PGlite has one.
      return new InProcessTransport({ parallelSubjects: config.EVENTS_CONSUMER_CONCURRENCY ?? (deps.databaseUrl ? 16 : 4) });
    case 'postgres':
      return new PostgresTransport({
        knex: deps.knex,
        listenUrl: deps.databaseUrl,
        pollIntervalMs: settings.pollIntervalMs,
        concurrency: settings.consumerConcurrency,
        retryInitialMs: settings.retryInitialMs,
        retryMaxMs: settings.retryMaxMs,
        retentionHours: settings.logRetentionHours,
        log: deps.log,
      });
    case 'kafka': {
      const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = config;
      return new KafkaTransport({
        brokers: (config.KAFKA_BROKERS ?? '').split(','),
        clientId: config.KAFKA_CLIENT_ID ?? deps.clientId,
        ssl: config.KAFKA_SSL,
        sasl: mechanism && username && password ? { mechanism: mechanism as 'plain' | 'scram-sha-256' | 'scram-sha-512', username, password } : undefined,
        createTopics: config.KAFKA_CREATE_TOPICS ?? true,
        partitions: config.KAFKA_TOPIC_PARTITIONS ?? 6,
        replicationFactor: config.KAFKA_REPLICATION_FACTOR ?? -1,
        retryInitialMs: settings.retryInitialMs,
        retryMaxMs: settings.retryMaxMs,
        log: deps.log,
      });
    }
  }
}

/** What the runtime needs of a service definition (kept structural so service.ts and this file do not import each other). */
export interface EventParticipant {
  name: string;
  migrations: { schema: string };
  consumes?: ConsumedEvent[];
}

export interface ProcessEventsOptions {
  config: EventsConfig;
  /** The gateway with every service, or one service alone. */
  mode: 'embedded' | 'standalone';
  knex: Knex;
  databaseKind: DatabaseKind;
  databaseUrl?: string;
  log: FastifyBaseLogger;
  registry?: Registry;
  /** The process's name, for the broker (`fusioncommerce-<name>`). */
  processName: string;
}

/**
 * Over the PostgreSQL log, each consumer loop holds a connection for its claim
 * while its handler takes a second one, and each relay holds one while the log
 * append takes another. A pool smaller than that can hand every connection to
 * a loop waiting for its second: the process stalls and its requests time out.
 * Refuse to start instead, saying what to raise.
 */
function assertPoolFitsEventLog(knex: Knex, services: EventParticipant[], concurrency: number): void {
  const poolMax = (knex.client as { config?: { pool?: { max?: number } } }).config?.pool?.max;
  if (poolMax === undefined) return;
  const consumers = services.filter((s) => s.consumes && s.consumes.length > 0).length;
  const needed = 2 * (consumers * concurrency + services.length) + 1;
  if (poolMax < needed) {
    throw new ConfigError(
      `Invalid configuration: DATABASE_POOL_MAX is ${poolMax}, but the PostgreSQL event log needs at least ${needed} connections here ` +
        `(two per consumer loop, EVENTS_CONSUMER_CONCURRENCY=${concurrency} per consuming service, two per relay, one for requests); raise it or lower the concurrency.`,
    );
  }
}

/** The runtime for a process's services: every service may publish; those that declare `consumes` consume. */
export function eventRuntimeFor(services: EventParticipant[], options: ProcessEventsOptions): EventRuntime {
  const kind = transportKindFor(options.config, options.mode);
  const settings = eventSettings(options.config);
  if (kind === 'postgres' && options.databaseKind !== 'postgres') {
    throw new Error('The PostgreSQL event log needs a PostgreSQL server (DATABASE_URL), not the embedded database.');
  }
  if (kind === 'postgres') assertPoolFitsEventLog(options.knex, services, settings.consumerConcurrency);
  const transport = createTransport(kind, options.config, {
    knex: options.knex,
    databaseUrl: options.databaseUrl,
    log: options.log,
    clientId: `fusioncommerce-${options.processName}`,
  });
  return new EventRuntime({
    knex: options.knex,
    databaseKind: options.databaseKind,
    transport,
    producers: services.map((s) => ({ service: s.name, schema: s.migrations.schema })),
    consumers: services.filter((s) => s.consumes && s.consumes.length > 0).map((s) => ({ group: s.name, schema: s.migrations.schema, handlers: s.consumes ?? [] })),
    settings,
    log: options.log,
    registry: options.registry,
  });
}
