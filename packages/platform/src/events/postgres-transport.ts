/**
 * An event log in PostgreSQL, for services running as separate processes with
 * only a database. Like a Kafka topic, each topic is split into partitions by
 * subject; a consumer group keeps one offset per partition and its members
 * claim partitions with FOR UPDATE SKIP LOCKED, so they share the work and
 * one subject is only ever handled by one of them at a time, in order.
 * LISTEN/NOTIFY wakes consumers when events arrive; polling covers the rest.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import pg from 'pg';
import type { CloudEvent } from '@fusioncommerce/contracts';
import { partitionOf, type DeliverEvent, type EventTransport, type Subscription } from './transport.ts';
import { Wakeup, backoffDelay } from './waiting.ts';

export const EVENT_LOG_SCHEMA = 'fusion_events';
const CHANNEL = 'fusion_events';
const LOG = `${EVENT_LOG_SCHEMA}.log`;
const OFFSETS = `${EVENT_LOG_SCHEMA}.consumer_offsets`;

export interface PostgresTransportOptions {
  /** The database that holds the log (the services' shared database). */
  knex: Knex;
  /** Same database, for the LISTEN connection; without it consumers only poll. */
  listenUrl?: string;
  /** Partitions per topic: how many members of one group can work at once. Fixed for the life of the log. */
  partitions?: number;
  /** Events a member takes per claim. */
  batchSize?: number;
  pollIntervalMs: number;
  /** Partitions one process works on at the same time, per group. */
  concurrency: number;
  retryInitialMs: number;
  retryMaxMs: number;
  retentionHours: number;
  log: FastifyBaseLogger;
}

interface Claim {
  topic: string;
  partition: number;
  position: number;
}

class LogSubscription implements Subscription {
  private stopped = false;
  private joined = false;
  private readonly loops: Promise<void>[] = [];
  readonly wakeups: Wakeup[] = [];
  private readonly stopping = new AbortController();

  constructor(
    private readonly transport: PostgresTransport,
    readonly group: string,
    readonly topics: string[],
    private readonly deliver: DeliverEvent,
    private readonly options: PostgresTransportOptions,
  ) {}

  begin(): void {
    for (let i = 0; i < this.options.concurrency; i++) {
      const wakeup = new Wakeup();
      this.wakeups.push(wakeup);
      this.loops.push(this.loop(wakeup));
    }
  }

  wake(): void {
    for (const wakeup of this.wakeups) wakeup.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    this.wake();
    await Promise.all(this.loops);
    this.transport.forget(this);
  }

  private async loop(wakeup: Wakeup): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let worked = false;
      try {
        worked = await this.claimAndDeliver();
        failures = 0;
      } catch (error) {
        if (this.stopped) break;
        failures += 1;
        const wait = backoffDelay(failures, this.options.retryInitialMs, this.options.retryMaxMs);
        this.options.log.warn({ err: error, group: this.group, attempt: failures, retryInMs: wait }, 'event log consumer failed; retrying');
        await sleep(wait, undefined, { signal: this.stopping.signal }).catch(() => undefined);
        continue;
      }
      if (!worked) await wakeup.sleep(this.options.pollIntervalMs);
    }
  }

  /** Claims one partition with work waiting, delivers a batch in order, moves the offset past what settled. */
  private async claimAndDeliver(): Promise<boolean> {
    if (!this.joined) {
      await this.transport.joinGroup(this.group, this.topics);
      this.joined = true;
    }
    let failure: { reason: unknown } | undefined;
    const worked = await this.options.knex.transaction(async (trx) => {
      const claimed = await trx.raw<{ rows: Claim[] }>(
        `select o.topic, o.partition, o.position
           from ${OFFSETS} o
          where o.consumer_group = ? and o.topic = any(?)
            and exists (select 1 from ${LOG} l where l.topic = o.topic and l.partition = o.partition and l.position > o.position)
          order by o.updated_at asc nulls first, o.topic, o.partition
          limit 1
          for update of o skip locked`,
        [this.group, this.topics],
      );
      const claim = claimed.rows[0];
      if (!claim) return false;
      const rows = (await trx(LOG)
        .select('position', 'envelope')
        .where({ topic: claim.topic, partition: claim.partition })
        .andWhere('position', '>', claim.position)
        .orderBy('position')
        .limit(this.options.batchSize ?? 100)) as { position: number; envelope: CloudEvent }[];
      let settledUpTo = claim.position;
      for (const row of rows) {
        if (this.stopped) break;
        try {
          await this.deliver(row.envelope);
        } catch (reason) {
          failure = { reason };
          break;
        }
        settledUpTo = row.position;
      }
      await trx(OFFSETS)
        .where({ consumer_group: this.group, topic: claim.topic, partition: claim.partition })
        .update({ position: settledUpTo, updated_at: trx.fn.now() });
      return true;
    });
    // Thrown after the commit, so what did settle keeps its offset.
    if (failure) throw failure.reason;
    return worked;
  }
}

export class PostgresTransport implements EventTransport {
  readonly kind = 'postgres' as const;
  private readonly partitions: number;
  private readonly subscriptions = new Set<LogSubscription>();
  private setup: Promise<void> | undefined;
  private listener: Promise<void> | undefined;
  private listening = false;
  private closed = false;
  private readonly closing = new AbortController();
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PostgresTransportOptions) {
    this.partitions = options.partitions ?? 8;
  }

  async start(): Promise<void> {
    await this.ensureSetup().catch((error: unknown) => this.options.log.warn({ err: error }, 'event log not reachable yet; will keep trying'));
    if (this.options.listenUrl && !this.listener) {
      let firstAttempt: () => void = () => undefined;
      const attempted = new Promise<void>((resolve) => (firstAttempt = resolve));
      this.listener = this.listen(firstAttempt);
      await attempted;
    }
    this.pruneTimer = setInterval(() => void this.prune(), 60 * 60 * 1000);
    this.pruneTimer.unref();
    void this.prune();
  }

  async publish(topic: string, events: CloudEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.ensureSetup();
    const rows = events.map((event) => ({
      topic,
      partition: partitionOf(event.subject, this.partitions),
      event_id: event.id,
      subject: event.subject,
      type: event.type,
      envelope: JSON.stringify(event),
    }));
    await this.options.knex.transaction(async (trx) => {
      // Appends take turns, so positions are handed out in commit order and a
      // consumer that has read up to N never finds an N-1 committed later.
      await trx.raw(`select pg_advisory_xact_lock(hashtext('${LOG}.append'))`);
      // An event published again after a crash is already here: appending nothing keeps the log free of repeats.
      await trx(LOG).insert(rows).onConflict(['topic', 'event_id']).ignore();
      await trx.raw('select pg_notify(?, ?)', [CHANNEL, topic]);
    });
  }

  async subscribe(group: string, topics: string[], deliver: DeliverEvent): Promise<Subscription> {
    const subscription = new LogSubscription(this, group, topics, deliver, this.options);
    this.subscriptions.add(subscription);
    subscription.begin();
    return subscription;
  }

  /** Creates the group's offsets where missing. They start at the beginning: a new group reads the history still kept. */
  async joinGroup(group: string, topics: string[]): Promise<void> {
    await this.ensureSetup();
    const offsets = topics.flatMap((topic) => Array.from({ length: this.partitions }, (_, partition) => ({ consumer_group: group, topic, partition })));
    await this.options.knex(OFFSETS).insert(offsets).onConflict(['consumer_group', 'topic', 'partition']).ignore();
  }

  forget(subscription: LogSubscription): void {
    this.subscriptions.delete(subscription);
  }

  async check(): Promise<void> {
    await this.options.knex.raw('select 1');
    await this.ensureSetup();
    if (this.options.listenUrl && !this.listening) throw new Error('not listening for new events: the LISTEN connection is down');
  }

  async lag(group: string, topics: string[]): Promise<number> {
    const result = await this.options.knex.raw<{ rows: { lag: number }[] }>(
      `select count(*)::int as lag from ${OFFSETS} o
         join ${LOG} l on l.topic = o.topic and l.partition = o.partition and l.position > o.position
        where o.consumer_group = ? and o.topic = any(?)`,
      [group, topics],
    );
    return result.rows[0]?.lag ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.listener;
  }

  private ensureSetup(): Promise<void> {
    this.setup ??= this.createLog().catch((error: unknown) => {
      this.setup = undefined;
      throw error;
    });
    return this.setup;
  }

  private async createLog(): Promise<void> {
    await this.options.knex.transaction(async (trx) => {
      // Processes starting together would otherwise race on "if not exists".
      await trx.raw(`select pg_advisory_xact_lock(hashtext('${EVENT_LOG_SCHEMA}.setup'))`);
      await trx.raw(`create schema if not exists ${EVENT_LOG_SCHEMA}`);
      await trx.raw(`create table if not exists ${LOG} (
        position bigserial primary key,
        topic text not null,
        partition integer not null,
        event_id text not null,
        subject text not null,
        type text not null,
        envelope jsonb not null,
        appended_at timestamptz not null default now()
      )`);
      await trx.raw(`create unique index if not exists log_event_idx on ${LOG} (topic, event_id)`);
      await trx.raw(`create index if not exists log_partition_idx on ${LOG} (topic, partition, position)`);
      await trx.raw(`create index if not exists log_appended_idx on ${LOG} (appended_at)`);
      await trx.raw(`create table if not exists ${OFFSETS} (
        consumer_group text not null,
        topic text not null,
        partition integer not null,
        position bigint not null default 0,
        updated_at timestamptz,
        primary key (consumer_group, topic, partition)
      )`);
    });
  }

  private async prune(): Promise<void> {
    try {
      await this.ensureSetup();
      await this.options.knex(LOG).where('appended_at', '<', this.options.knex.raw('now() - make_interval(hours => ?)', [this.options.retentionHours])).delete();
    } catch (error) {
      this.options.log.debug({ err: error }, 'event log retention pass skipped');
    }
  }

  private onNotification(topic: string | undefined): void {
    for (const subscription of this.subscriptions) {
      if (!topic || subscription.topics.includes(topic)) subscription.wake();
    }
  }

  /** Keeps one LISTEN connection open for the life of the transport, reconnecting with backoff. */
  private async listen(firstAttempt: () => void): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      const client = new pg.Client({ connectionString: this.options.listenUrl, application_name: 'fusioncommerce-event-listener' });
      const ended = new Promise<unknown>((resolve) => {
        client.on('error', resolve);
        client.on('end', () => resolve(new Error('connection ended')));
        this.closing.signal.addEventListener('abort', () => resolve(undefined), { once: true });
      });
      client.on('notification', (message) => this.onNotification(message.payload));
      try {
        await client.connect();
        await client.query(`listen ${CHANNEL}`);
        this.listening = true;
        failures = 0;
        firstAttempt();
        // Anything appended while nobody listened is picked up now.
        this.onNotification(undefined);
        const reason = await ended;
        if (!this.closed) this.options.log.warn({ err: reason }, 'event listener connection lost; reconnecting');
      } catch (error) {
        failures += 1;
        this.options.log.warn({ err: error, attempt: failures }, 'could not listen for events; retrying');
      }
      this.listening = false;
      firstAttempt();
      await client.end().catch(() => undefined);
      if (!this.closed) await sleep(backoffDelay(failures || 1, this.options.retryInitialMs, this.options.retryMaxMs), undefined, { signal: this.closing.signal }).catch(() => undefined);
    }
  }
}
