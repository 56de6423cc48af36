/** Webhook subscriptions: rows ↔ state, the admin list, and the active ones events are matched against. */
import type { Knex } from 'knex';
import { decodeCursor, toPage, type Page } from '@fusioncommerce/platform';
/** UUIDv7 ids sort by creation time: newest first is id descending. */
const ID_DESC = 'id_desc';

const T = 'webhooks.subscriptions';

interface SubscriptionRow {
  id: string;
  url: string;
  event_types: string[] | string;
  description: string | null;
  active: boolean;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  secret_rotated_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface SubscriptionState {
  id: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  active: boolean;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  secretRotatedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What the API shows: never the secret (it is handed out once, on create and rotate). */
export interface SubscriptionView {
  id: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  secretRotatedAt: string | null;
  previousSecretExpiresAt: string | null;
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);
const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

const toState = (row: SubscriptionRow): SubscriptionState => ({
  id: row.id,
  url: row.url,
  eventTypes: json(row.event_types),
  description: row.description,
  active: row.active,
  secret: row.secret,
  previousSecret: row.previous_secret,
  previousSecretExpiresAt: row.previous_secret_expires_at ? new Date(row.previous_secret_expires_at) : null,
  secretRotatedAt: row.secret_rotated_at ? new Date(row.secret_rotated_at) : null,
  version: row.version,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

const toRow = (s: SubscriptionState) => ({
  id: s.id,
  url: s.url,
  event_types: JSON.stringify(s.eventTypes),
  description: s.description,
  active: s.active,
  secret: s.secret,
  previous_secret: s.previousSecret,
  previous_secret_expires_at: s.previousSecretExpiresAt,
  secret_rotated_at: s.secretRotatedAt,
  version: s.version,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
});

export const subscriptionView = (s: SubscriptionState): SubscriptionView => ({
  id: s.id,
  url: s.url,
  eventTypes: s.eventTypes,
  description: s.description,
  active: s.active,
  version: s.version,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
  secretRotatedAt: iso(s.secretRotatedAt),
  previousSecretExpiresAt: iso(s.previousSecretExpiresAt),
});

/** The secrets a delivery is signed with now: the current one, and the previous one until it expires. */
export function signingSecrets(s: Pick<SubscriptionState, 'secret' | 'previousSecret' | 'previousSecretExpiresAt'>, now: Date): string[] {
  const previousValid = s.previousSecret !== null && s.previousSecretExpiresAt !== null && s.previousSecretExpiresAt > now;
  return previousValid ? [s.secret, s.previousSecret as string] : [s.secret];
}

export class SubscriptionStore {
  constructor(private readonly knex: Knex) {}

  async get(id: string, db: Knex | Knex.Transaction = this.knex, forUpdate = false): Promise<SubscriptionState | undefined> {
    const query = db<SubscriptionRow>(T).where({ id }).first();
    if (forUpdate) void query.forUpdate();
    const row = await query;
    return row ? toState(row) : undefined;
  }

  async insert(state: SubscriptionState, trx: Knex | Knex.Transaction = this.knex): Promise<void> {
    await trx(T).insert(toRow(state));
  }

  async update(state: SubscriptionState, trx: Knex.Transaction): Promise<void> {
    const { id, created_at: _created, ...row } = toRow(state);
    await trx(T).where({ id }).update(row);
  }

  /** Removes the subscription with its deliveries and their log; false when there was none. */
  async delete(id: string, trx: Knex.Transaction): Promise<boolean> {
    return (await trx(T).where({ id }).delete()) > 0;
  }

  /** The active subscriptions' patterns: a shop has a handful, matched in memory. */
  async active(db: Knex | Knex.Transaction = this.knex): Promise<{ id: string; eventTypes: string[] }[]> {
    const rows = (await db(T).where({ active: true }).select('id', 'event_types')) as Pick<SubscriptionRow, 'id' | 'event_types'>[];
    return rows.map((r) => ({ id: r.id, eventTypes: json(r.event_types) }));
  }

  async list(filter: { active?: boolean; limit: number; cursor?: string }): Promise<Page<SubscriptionView>> {
    // UUIDv7 ids sort by creation time: newest first is id descending.
    const query = this.knex<SubscriptionRow>(T).orderBy('id', 'desc').limit(filter.limit + 1);
    if (filter.active !== undefined) void query.where({ active: filter.active });
    if (filter.cursor) void query.where('id', '<', decodeCursor(filter.cursor, ID_DESC, { id: 'uuid' }).id);
    const rows = (await query) as SubscriptionRow[];
    return toPage(rows.map((r) => subscriptionView(toState(r))), filter.limit, (s) => ({ sort: ID_DESC, value: null, id: s.id }));
  }
}
