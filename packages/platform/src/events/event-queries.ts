/** What operators read about events: recent outbox rows of the producing services, and dead letters of the consumers, newest first. */
import type { Knex } from 'knex';
import { decodeCursor, encodeCursor, type Page } from '../http/pagination.ts';
import type { DeadLetterRow } from './consumer.ts';
import type { OutboxRow } from './outbox.ts';

export interface EventView {
  id: string;
  service: string;
  type: string;
  source: string;
  subject: string;
  time: string;
  data: unknown;
  publishedAt: string | null;
  attempts: number;
  lastError: string | null;
}

export interface DeadLetterView {
  id: string;
  consumerGroup: string;
  eventId: string;
  type: string;
  subject: string;
  event: unknown;
  error: string;
  attempts: number;
  status: 'dead' | 'replayed';
  failedAt: string;
  replayedAt: string | null;
  replayAttempts: number;
  lastReplayError: string | null;
}

export interface EventListQuery {
  service?: string;
  status?: 'pending' | 'published' | 'any';
  type?: string;
  subject?: string;
  limit: number;
  cursor?: string;
}

export interface DeadLetterListQuery {
  consumer?: string;
  status?: 'dead' | 'replayed' | 'any';
  type?: string;
  limit: number;
  cursor?: string;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

export function eventView(service: string, row: OutboxRow): EventView {
  return {
    id: row.id,
    service,
    type: row.type,
    source: row.source,
    subject: row.subject,
    time: iso(row.time) as string,
    data: row.data,
    publishedAt: iso(row.published_at),
    attempts: row.attempts,
    lastError: row.last_error,
  };
}

export function deadLetterView(row: DeadLetterRow): DeadLetterView {
  return {
    id: row.id,
    consumerGroup: row.consumer_group,
    eventId: row.event_id,
    type: row.type,
    subject: row.subject,
    event: row.event,
    error: row.error,
    attempts: row.attempts,
    status: row.status,
    failedAt: iso(row.failed_at) as string,
    replayedAt: iso(row.replayed_at),
    replayAttempts: row.replay_attempts,
    lastReplayError: row.last_replay_error,
  };
}

const SORT = 'newest';

/** How many events or dead letters a list answers when the caller does not say. */
export const DEFAULT_EVENT_LIST_LIMIT = 50;
/** Tables found once stay found; a missing one is looked for again (its migration may run later). */
export class EventTables {
  private readonly found = new Set<string>();

  constructor(private readonly knex: Knex) {}

  async exists(table: string): Promise<boolean> {
    if (this.found.has(table)) return true;
    const result = await this.knex.raw<{ rows: { found: string | null }[] }>('select to_regclass(?)::text as found', [table]);
    const exists = Boolean(result.rows[0]?.found);
    if (exists) this.found.add(table);
    return exists;
  }
}

/**
 * Pages newest-first across several schemas. Ids are UUIDv7, so ordering by id
 * is ordering by time, and one id cursor serves every schema: each is asked
 * for a page after the cursor and the pages are merged.
 */
async function mergedPage<Row extends { id: string }, View extends { id: string }>(
  sources: { query: (after: string | undefined, limit: number) => Promise<Row[]>; view: (row: Row) => View }[],
  limit: number,
  cursor: string | undefined,
): Promise<Page<View>> {
  const after = cursor ? decodeCursor(cursor, SORT, { id: 'uuid' }).id : undefined;
  // Each source gives one row more than the page: the merge then knows whether more remains.
  const pages = await Promise.all(sources.map(async (s) => ({ data: (await s.query(after, limit + 1)).map(s.view), nextCursor: null })));
  return mergeNewestFirst(pages, limit);
}

/**
 * Merges pages that several processes answered for the same list query (the
 * same cursor, the same limit) into one page, newest first: what one process
 * answers for all its schemas, the proxying gateway answers for all its
 * upstreams. More remains when the merge overflows or any page had more.
 */
export function mergeNewestFirst<View extends { id: string }>(pages: Page<View>[], limit: number): Page<View> {
  const merged = pages.flatMap((p) => p.data).sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const page = merged.slice(0, limit);
  const last = page[page.length - 1];
  const more = merged.length > limit || pages.some((p) => p.nextCursor !== null);
  return { data: page, nextCursor: more && last ? encodeCursor({ sort: SORT, value: null, id: last.id }) : null };
}

export async function listRecentEvents(
  knex: Knex,
  tables: EventTables,
  producers: { service: string; schema: string }[],
  query: EventListQuery,
): Promise<Page<EventView>> {
  const chosen = producers.filter((p) => !query.service || p.service === query.service);
  const present = (await Promise.all(chosen.map(async (p) => ((await tables.exists(`${p.schema}.outbox`)) ? p : undefined)))).filter((p) => p !== undefined);
  return mergedPage(
    present.map((producer) => ({
      view: (row: OutboxRow) => eventView(producer.service, row),
      query: async (after, limit) => {
        const q = knex(`${producer.schema}.outbox`).orderBy('id', 'desc').limit(limit);
        if (after) q.where('id', '<', after);
        if (query.status === 'pending') q.whereNull('published_at');
        if (query.status === 'published') q.whereNotNull('published_at');
        if (query.type) q.where('type', query.type);
        if (query.subject) q.where('subject', query.subject);
        return (await q) as OutboxRow[];
      },
    })),
    query.limit,
    query.cursor,
  );
}

export async function listDeadLetters(
  knex: Knex,
  tables: EventTables,
  consumers: { group: string; schema: string }[],
  query: DeadLetterListQuery,
): Promise<Page<DeadLetterView>> {
  const chosen = consumers.filter((c) => !query.consumer || c.group === query.consumer);
  const present = (await Promise.all(chosen.map(async (c) => ((await tables.exists(`${c.schema}.dead_letters`)) ? c : undefined)))).filter((c) => c !== undefined);
  const status = query.status ?? 'dead';
  return mergedPage(
    present.map((consumer) => ({
      view: deadLetterView,
      query: async (after, limit) => {
        const q = knex(`${consumer.schema}.dead_letters`).where({ consumer_group: consumer.group }).orderBy('id', 'desc').limit(limit);
        if (after) q.where('id', '<', after);
        if (status !== 'any') q.where('status', status);
        if (query.type) q.where('type', query.type);
        return (await q) as DeadLetterRow[];
      },
    })),
    query.limit,
    query.cursor,
  );
}
