/**
 * The transactional outbox: events are rows in the owning service's schema,
 * written in the same transaction as the state change they describe, so an
 * event exists if and only if its change committed. A relay publishes them.
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { sourceOf, validateEventData, type CloudEvent } from '@fusioncommerce/contracts';

export interface NewEvent<T = unknown> {
  /** `<service>.<entity>.<verb>`, with a contract in @fusioncommerce/contracts. */
  type: string;
  /** The aggregate id: events of one subject are delivered in order. */
  subject: string;
  data: T;
}

export interface OutboxRow {
  position: number;
  id: string;
  type: string;
  source: string;
  subject: string;
  time: Date;
  data: unknown;
  published_at: Date | null;
  attempts: number;
  last_error: string | null;
}

/** Creates `<schema>.outbox`; call it from the service's first migration. */
export async function createEventTables(knex: Knex, schema: string): Promise<void> {
  await knex.schema.withSchema(schema).createTable('outbox', (t) => {
    t.bigIncrements('position').primary();
    t.uuid('id').notNullable().unique();
    t.text('type').notNullable();
    t.text('source').notNullable();
    t.text('subject').notNullable();
    t.timestamp('time', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.jsonb('data').notNullable();
    t.timestamp('published_at', { useTz: true }).nullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error').nullable();
  });
  await knex.raw('create index outbox_unpublished_idx on ??.outbox (position) where published_at is null', [schema]);
}

export async function dropEventTables(knex: Knex, schema: string): Promise<void> {
  await knex.schema.withSchema(schema).dropTableIfExists('outbox');
}

/** Envelope for an outbox row, as it goes on the wire. */
export function toCloudEvent(row: Pick<OutboxRow, 'id' | 'type' | 'source' | 'subject' | 'time' | 'data'>): CloudEvent {
  return {
    specversion: '1.0',
    id: row.id,
    source: row.source,
    type: row.type,
    subject: row.subject,
    time: new Date(row.time).toISOString(),
    datacontenttype: 'application/json',
    data: row.data,
  };
}

/**
 * Appends events to `<schema>.outbox` inside the caller's transaction. Each is
 * checked against its contract first: an event that breaks its contract is a
 * bug, and the whole change rolls back with it.
 */
export async function recordEvents(trx: Knex.Transaction, schema: string, events: NewEvent[]): Promise<CloudEvent[]> {
  if (events.length === 0) return [];
  const now = new Date();
  const envelopes = events.map((event) => {
    validateEventData(event.type, event.data);
    return toCloudEvent({ id: uuidv7(), type: event.type, source: sourceOf(schema), subject: event.subject, time: now, data: event.data });
  });
  await trx(`${schema}.outbox`).insert(
    envelopes.map((e) => ({ id: e.id, type: e.type, source: e.source, subject: e.subject, time: now, data: JSON.stringify(e.data) })),
  );
  return envelopes;
}
