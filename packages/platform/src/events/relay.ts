/**
 * The outbox relay: publishes a service's committed events in batches, in
 * outbox order (so in order per subject), and marks them sent only after the
 * transport accepted them. A crash anywhere before that mark means the batch
 * is published again on restart; consumers' inboxes absorb the repeat.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import { onOutboxCommit, toCloudEvent, type OutboxRow } from './outbox.ts';
import type { EventTransport } from './transport.ts';
import { Wakeup, backoffDelay } from './waiting.ts';

export interface RelayOptions {
  knex: Knex;
  /** The producing service: its schema holds the outbox. */
  schema: string;
  topic: string;
  transport: EventTransport;
  batchSize: number;
  pollIntervalMs: number;
  retryInitialMs: number;
  retryMaxMs: number;
  /**
   * Hold a transaction-scoped advisory lock while publishing, so that of all
   * replicas of a service only one relays its outbox at a time (real
   * PostgreSQL). PGlite is one process and one connection: no lock, and no
   * transaction held open while in-process consumers need the connection.
   */
  exclusive: boolean;
  log: FastifyBaseLogger;
  onPublished?: (rows: Pick<OutboxRow, 'time'>[]) => void;
  onFailed?: () => void;
}

const UNDEFINED_TABLE = '42P01';

interface BatchResult {
  published: number;
  failure?: unknown;
}

export class OutboxRelay {
  private running: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  private readonly wakeup = new Wakeup();
  private stopListening: (() => void) | undefined;
  private failures = 0;

  constructor(private readonly options: RelayOptions) {}

  start(): void {
    if (this.running) return;
    this.stopListening = onOutboxCommit(this.options.schema, () => this.wakeup.wake());
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.wakeup.wake();
    this.stopListening?.();
    await this.running;
  }

  /** Publishes one batch; returns how many events went out. Throws when the transport refused them. */
  async publishBatch(): Promise<number> {
    const { published, failure } = this.options.exclusive
      ? await this.options.knex.transaction((trx) => this.publishFrom(trx, true))
      : await this.publishFrom(this.options.knex, false);
    if (failure !== undefined) throw failure;
    return published;
  }

  /** Publishes until the outbox is empty (tests and shutdown drains). */
  async drain(): Promise<number> {
    let total = 0;
    for (let n = await this.publishBatch(); n > 0; n = await this.publishBatch()) total += n;
    return total;
  }

  /**
   * `exclusive`: only while holding the outbox's advisory lock, taken in the
   * same statement as the read (no rows when another replica holds it).
   */
  private async publishFrom(db: Knex | Knex.Transaction, exclusive: boolean): Promise<BatchResult> {
    const outbox = `${this.options.schema}.outbox`;
    const rows = exclusive
      ? ((
          await db.raw<{ rows: OutboxRow[] }>(
            // A CTE with a volatile function is evaluated once, before the read.
            `with lock as (select pg_try_advisory_xact_lock(hashtext(?)) as held)
             select o.* from ?? o, lock where lock.held and o.published_at is null order by o.position limit ?`,
            [`fusion.outbox.${this.options.schema}`, outbox, this.options.batchSize],
          )
        ).rows)
      : ((await db(outbox).whereNull('published_at').orderBy('position').limit(this.options.batchSize)) as OutboxRow[]);
    if (rows.length === 0) return { published: 0 };
    const positions = rows.map((r) => r.position);
    try {
      await this.options.transport.publish(this.options.topic, rows.map(toCloudEvent));
    } catch (failure) {
      const lastError = failure instanceof Error ? failure.message.slice(0, 2000) : String(failure);
      await db(outbox).whereIn('position', positions).update({ attempts: db.raw('attempts + 1'), last_error: lastError });
      return { published: 0, failure };
    }
    await db(outbox).whereIn('position', positions).update({ published_at: db.fn.now(), attempts: db.raw('attempts + 1'), last_error: null });
    this.options.onPublished?.(rows);
    return { published: rows.length };
  }

  private async loop(): Promise<void> {
    const { log, schema } = this.options;
    let missingTableLogged = false;
    while (!this.stopping.signal.aborted) {
      let wait = this.options.pollIntervalMs;
      try {
        const published = await this.publishBatch();
        if (this.failures > 0) log.info({ schema, after: this.failures }, 'outbox relay publishing again');
        this.failures = 0;
        // A full batch means more may be waiting: go again at once, after letting
        // timers and I/O run (an embedded database answers without yielding).
        if (published === this.options.batchSize) {
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
      } catch (error) {
        // Consumers in this process hand back what they hold while stopping: not a failure worth a warning.
        if (this.stopping.signal.aborted) break;
        if ((error as { code?: string }).code === UNDEFINED_TABLE) {
          // The service's migrations have not created the outbox yet (or it has none).
          if (!missingTableLogged) log.debug({ schema }, 'no outbox table yet; the relay waits');
          missingTableLogged = true;
          wait = this.options.pollIntervalMs * 5;
        } else {
          this.failures += 1;
          this.options.onFailed?.();
          wait = backoffDelay(this.failures, this.options.retryInitialMs, this.options.retryMaxMs);
          log.warn({ err: error, schema, attempt: this.failures, retryInMs: wait }, 'outbox relay could not publish; retrying');
          // New commits must not cut a backoff short.
          await sleep(wait, undefined, { signal: this.stopping.signal }).catch(() => undefined);
          continue;
        }
      }
      await this.wakeup.sleep(wait);
    }
  }
}
