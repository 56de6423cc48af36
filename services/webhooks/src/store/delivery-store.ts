/**
 * Deliveries and their attempt log: rows ↔ views, recording them for an
 * event, the worker's claims (FOR UPDATE SKIP LOCKED, so any number of
 * processes share the work and none sends a delivery another holds), and
 * the numbers behind the metrics.
 */
import type { Knex } from 'knex';
import { decodeCursor, toPage, type Page } from '@fusioncommerce/platform';
import type { AttemptOutcome, DeliveryStatus } from '../domain/delivery.ts';
/** UUIDv7 ids sort by creation time: newest first is id descending. */
const ID_DESC = 'id_desc';

const T = 'webhooks.deliveries';
const ATTEMPTS = 'webhooks.delivery_attempts';
const SUBSCRIPTIONS = 'webhooks.subscriptions';

export interface DeliveryRow {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  replays: number;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  last_response_status: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  delivered_at: Date | null;
  failed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface AttemptRow {
  id: string;
  delivery_id: string;
  started_at: Date;
  duration_ms: number;
  response_status: number | null;
  error: string | null;
  outcome: AttemptOutcome;
}

export interface DeliveryView {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  replays: number;
  lastResponseStatus: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AttemptView {
  startedAt: string;
  durationMs: number;
  responseStatus: number | null;
  error: string | null;
  outcome: AttemptOutcome;
}

export interface DeliveryDetailView extends DeliveryView {
  /** The CloudEvent as it is sent. */
  event: unknown;
  attemptLog: AttemptView[];
}

const iso = (value: Date | null): string | null => (value ? new Date(value).toISOString() : null);

export const deliveryView = (row: DeliveryRow): DeliveryView => ({
  id: row.id,
  subscriptionId: row.subscription_id,
  eventId: row.event_id,
  eventType: row.event_type,
  status: row.status,
  attempts: row.attempts,
  replays: row.replays,
  lastResponseStatus: row.last_response_status,
  lastError: row.last_error,
  lastDurationMs: row.last_duration_ms,
  lastAttemptAt: iso(row.last_attempt_at),
  // While an attempt runs, next_attempt_at is the claim's lease, not a due time.
  nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
  deliveredAt: iso(row.delivered_at),
  failedAt: iso(row.failed_at),
  createdAt: iso(row.created_at) as string,
  updatedAt: iso(row.updated_at) as string,
});

const attemptView = (row: AttemptRow): AttemptView => ({
  startedAt: iso(row.started_at) as string,
  durationMs: row.duration_ms,
  responseStatus: row.response_status,
  error: row.error,
  outcome: row.outcome,
});

/** A delivery the worker holds: what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  payload: string;
  /** This attempt's number (attempts since the delivery was created or last replayed). */
  attempt: number;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

export interface NewDelivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  payload: string;
}

export class DeliveryStore {
  constructor(private readonly knex: Knex) {}

  /** Inserts deliveries, skipping any (subscription, event) that already has one; returns how many are new. */
  async insertMany(deliveries: NewDelivery[], now: Date, db: Knex | Knex.Transaction = this.knex): Promise<number> {
    if (deliveries.length === 0) return 0;
    const inserted = await db(T)
      .insert(
        deliveries.map((d) => ({
          id: d.id,
          subscription_id: d.subscriptionId,
          event_id: d.eventId,
          event_type: d.eventType,
          payload: d.payload,
          status: 'pending',
          next_attempt_at: now,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict(['subscription_id', 'event_id'])
      .ignore()
      .returning('id');
    return inserted.length;
  }

  async get(id: string, db: Knex | Knex.Transaction = this.knex, forUpdate = false): Promise<DeliveryRow | undefined> {
    const query = db<DeliveryRow>(T).where({ id }).first();
    if (forUpdate) void query.forUpdate();
    return (await query) as DeliveryRow | undefined;
  }

  async attempts(deliveryId: string): Promise<AttemptView[]> {
    const rows = (await this.knex<AttemptRow>(ATTEMPTS).where({ delivery_id: deliveryId }).orderBy([{ column: 'started_at' }, { column: 'id' }])) as AttemptRow[];
    return rows.map(attemptView);
  }

  async list(filter: { subscriptionId: string; status?: DeliveryStatus; eventType?: string; limit: number; cursor?: string }): Promise<Page<DeliveryView>> {
    const query = this.knex<DeliveryRow>(T).where({ subscription_id: filter.subscriptionId }).orderBy('id', 'desc').limit(filter.limit + 1);
    if (filter.status) void query.where({ status: filter.status });
    if (filter.eventType) void query.where({ event_type: filter.eventType });
    if (filter.cursor) void query.where('id', '<', decodeCursor(filter.cursor, ID_DESC, { id: 'uuid' }).id);
    const rows = (await query) as DeliveryRow[];
    return toPage(rows.map(deliveryView), filter.limit, (d) => ({ sort: ID_DESC, value: null, id: d.id }));
  }

  /**
   * Claims up to `limit` due deliveries of active subscriptions: pending ones
   * whose time has come, and ones whose worker's claim lapsed. Each becomes
   * `delivering` with its attempt counted and a lease until `leaseUntil`, in
   * one short transaction; the request itself is made outside it.
   */
  async claimDue(
    limit: number,
    now: Date,
    leaseUntil: Date,
    maxAttempts: number,
    onAbandoned: (trx: Knex.Transaction, rows: DeliveryRow[]) => Promise<void>,
  ): Promise<ClaimedDelivery[]> {
    return this.knex.transaction(async (trx) => {
      const due = (await trx(`${T} as d`)
        .join(`${SUBSCRIPTIONS} as s`, 's.id', 'd.subscription_id')
        .whereIn('d.status', ['pending', 'delivering'])
        .where('d.next_attempt_at', '<=', now)
        .where('s.active', true)
        .orderBy('d.next_attempt_at')
        .limit(limit)
        .forUpdate('d')
        .skipLocked()
        .select(
          'd.id',
          'd.status',
          'd.attempts',
          'd.subscription_id',
          'd.event_id',
          'd.event_type',
          'd.payload',
          's.url',
          's.secret',
          's.previous_secret',
          's.previous_secret_expires_at',
        )) as (Pick<DeliveryRow, 'id' | 'status' | 'attempts' | 'subscription_id' | 'event_id' | 'event_type' | 'payload'> & {
        url: string;
        secret: string;
        previous_secret: string | null;
        previous_secret_expires_at: Date | null;
      })[];
      // A claim that lapsed on its last allowed attempt: that attempt was made (or cut short), so it ends here.
      const lapsedLast = due.filter((d) => d.status === 'delivering' && d.attempts >= maxAttempts);
      const abandoned = lapsedLast.length
        ? ((await trx(T)
            .whereIn('id', lapsedLast.map((d) => d.id))
            .update({ status: 'failed', failed_at: now, next_attempt_at: null, last_error: 'the last attempt did not finish (its worker stopped)', updated_at: now })
            .returning('*')) as DeliveryRow[])
        : [];
      if (abandoned.length > 0) await onAbandoned(trx, abandoned);
      const toSend = due.filter((d) => !lapsedLast.includes(d));
      if (toSend.length > 0) {
        await trx(T)
          .whereIn('id', toSend.map((d) => d.id))
          .update({ status: 'delivering', attempts: trx.raw('attempts + 1'), next_attempt_at: leaseUntil, last_attempt_at: now, updated_at: now });
      }
      return toSend.map((d) => ({
        id: d.id,
        subscriptionId: d.subscription_id,
        eventId: d.event_id,
        eventType: d.event_type,
        payload: d.payload,
        attempt: d.attempts + 1,
        url: d.url,
        secret: d.secret,
        previousSecret: d.previous_secret,
        previousSecretExpiresAt: d.previous_secret_expires_at ? new Date(d.previous_secret_expires_at) : null,
      }));
    });
  }

  /**
   * Records an attempt's end, if this worker still holds the claim (the same
   * attempt number, still delivering): another worker may have taken over a
   * lapsed claim, or the subscription may be gone. Returns the row, or undefined.
   */
  async finishAttempt(
    trx: Knex.Transaction,
    claim: Pick<ClaimedDelivery, 'id' | 'attempt'>,
    changes: Partial<DeliveryRow>,
    attempt: Omit<AttemptRow, 'delivery_id'>,
  ): Promise<DeliveryRow | undefined> {
    const [row] = (await trx(T).where({ id: claim.id, status: 'delivering', attempts: claim.attempt }).update(changes).returning('*')) as DeliveryRow[];
    if (row) await trx(ATTEMPTS).insert({ ...attempt, delivery_id: claim.id });
    return row;
  }

  /** Hands a claim back untried (the process is stopping): the attempt does not count. */
  async release(claim: Pick<ClaimedDelivery, 'id' | 'attempt'>, now: Date): Promise<void> {
    await this.knex(T)
      .where({ id: claim.id, status: 'delivering', attempts: claim.attempt })
      .update({ status: 'pending', attempts: claim.attempt - 1, next_attempt_at: now, updated_at: now });
  }

  async update(id: string, changes: Partial<DeliveryRow>, trx: Knex.Transaction): Promise<DeliveryRow> {
    const [row] = (await trx(T).where({ id }).update(changes).returning('*')) as DeliveryRow[];
    return row as DeliveryRow;
  }

  /** Deliveries waiting to be sent (pending or in flight) for active subscriptions. */
  async backlog(): Promise<number> {
    const [row] = (await this.knex(`${T} as d`)
      .join(`${SUBSCRIPTIONS} as s`, 's.id', 'd.subscription_id')
      .whereIn('d.status', ['pending', 'delivering'])
      .where('s.active', true)
      .count({ count: '*' })) as { count: number | string }[];
    return Number(row?.count ?? 0);
  }

  /** Deliveries that gave up and wait for an admin's replay. */
  async failedCount(): Promise<number> {
    const [row] = (await this.knex(T).where({ status: 'failed' }).count({ count: '*' })) as { count: number | string }[];
    return Number(row?.count ?? 0);
  }

  /** Deletes finished deliveries last touched before `before` (their attempt log goes with them), a batch at a time. */
  async purgeFinished(before: Date, batch = 1000): Promise<number> {
    const ids = this.knex(T).whereIn('status', ['delivered', 'failed']).where('updated_at', '<', before).limit(batch).select('id');
    return this.knex(T).whereIn('id', ids).delete();
  }
}
