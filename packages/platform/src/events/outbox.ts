/**
 * The transactional outbox: events are rows in the owning service's schema,
 * written in the same transaction as the state change they describe, so an
 * event exists if and only if its change committed. A relay publishes them.
 * The same migration creates the consumer side of the schema: the inbox of
 * handled event ids and the dead letters.
 */
import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { sourceOf, validateEventData, type CloudEvent } from '@fusioncommerce/contracts';
import { afterCommit } from '../db/after-commit.ts';

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

/**
 * Creates `<schema>.outbox`, `<schema>.inbox` and `<schema>.dead_letters`;
 * call it from one of the service's migrations.
 */
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

  // One row per event a consumer group is done with, written in the same
  // transaction as the handler's effects: a redelivered event finds its row and
  // is skipped. Ids are text because CloudEvents ids are strings.
  await knex.schema.withSchema(schema).createTable('inbox', (t) => {
    t.text('consumer_group').notNullable();
    t.text('event_id').notNullable();
    t.text('type').notNullable();
    t.text('outcome').notNullable();
    t.timestamp('handled_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['consumer_group', 'event_id']);
  });
  await knex.raw(`alter table ??.inbox add constraint inbox_outcome_check check (outcome in ('handled', 'dead_lettered'))`, [schema]);

  await knex.schema.withSchema(schema).createTable('dead_letters', (t) => {
    t.uuid('id').primary();
    t.text('consumer_group').notNullable();
    t.text('event_id').notNullable();
    t.text('type').notNullable();
    t.text('subject').notNullable();
    // The whole envelope as received, so a replay hands the handler exactly what failed.
    t.jsonb('event').notNullable();
    t.text('error').notNullable();
    t.integer('attempts').notNullable();
    t.text('status').notNullable().defaultTo('dead');
    t.timestamp('failed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('replayed_at', { useTz: true }).nullable();
    t.integer('replay_attempts').notNullable().defaultTo(0);
    t.text('last_replay_error').nullable();
    t.unique(['consumer_group', 'event_id']);
  });
  await knex.raw(`alter table ??.dead_letters add constraint dead_letters_status_check check (status in ('dead', 'replayed'))`, [schema]);
  await knex.raw('create index dead_letters_status_idx on ??.dead_letters (status, id desc)', [schema]);
}

export async function dropEventTables(knex: Knex, schema: string): Promise<void> {
  await knex.schema.withSchema(schema).dropTableIfExists('dead_letters');
  await knex.schema.withSchema(schema).dropTableIfExists('inbox');
  await knex.schema.withSchema(schema).dropTableIfExists('outbox');
}

const commits = new EventEmitter().setMaxListeners(0);

/**
 * Calls `listener` after a transaction that recorded events in `schema`
 * commits, so the relay in this process publishes at once instead of at its
 * next poll. Returns the function that stops listening.
 */
export function onOutboxCommit(schema: string, listener: () => void): () => void {
  commits.on(schema, listener);
  return () => commits.off(schema, listener);
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
  // Wake the relay when the rows are visible to it.
  afterCommit(trx, () => commits.emit(schema));
  return envelopes;
}
