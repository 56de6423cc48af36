/**
 * Pieces the event backbone's tests share: schemas for a producer and its
 * consumers, a probe handler that writes one effect row per event it handles,
 * "nodes" (what one process runs: a relay, a consumer, or both), bounded waits.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { CloudEvent } from '@fusioncommerce/contracts';
import {
  EventRuntime,
  createEventTables,
  on,
  recordEvents,
  type ConsumedEvent,
  type EventConsumerSpec,
  type EventProducer,
  type EventSettings,
  type EventTransport,
} from '../../src/index.ts';
import type { Database } from '../../src/db/database.ts';
import { ItemRecorded } from './fixtures/probe-events.ts';

export const silent = pino({ level: 'silent' });

/** A fresh lower-case name: schemas, groups and topics never collide between tests or runs. */
export const uniq = (prefix: string): string => `${prefix}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

export function testSettings(topicPrefix: string, overrides: Partial<EventSettings> = {}): EventSettings {
  return {
    relayBatchSize: 50,
    pollIntervalMs: 50,
    maxAttempts: 3,
    retryInitialMs: 10,
    retryMaxMs: 40,
    consumerConcurrency: 2,
    logRetentionHours: 24,
    topicPrefix,
    ...overrides,
  };
}

/** Polls `probe` until it returns something truthy; fails with `what` at the deadline. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

export async function createProducerSchema(knex: Knex, schema: string): Promise<void> {
  await knex.raw('create schema ??', [schema]);
  await createEventTables(knex, schema);
}

/** Inbox, dead letters and `effects`: one row per time the probe handler ran to completion (no unique key, so doubles would show). */
export async function createConsumerSchema(knex: Knex, schema: string): Promise<void> {
  await createProducerSchema(knex, schema);
  await knex.schema.withSchema(schema).createTable('effects', (t) => {
    t.bigIncrements('id');
    t.text('event_id').notNullable();
    t.text('subject').notNullable();
    t.integer('seq').notNullable();
    t.text('member').notNullable();
  });
}

/** Records `ItemRecorded` events for one subject in one transaction, as a use case would. */
export async function record(knex: Knex, schema: string, subject: string, seqs: number[], options: { poison?: number[] } = {}): Promise<CloudEvent[]> {
  return knex.transaction((trx) =>
    recordEvents(
      trx,
      schema,
      seqs.map((seq) => ({ type: ItemRecorded.type, subject, data: options.poison?.includes(seq) ? { seq, poison: true } : { seq } })),
    ),
  );
}

export interface ProbeOptions {
  /** Poison events whose id is here are handled normally (the bug was fixed). */
  healed?: Set<string>;
  /** Up to this many ms of random delay per event, to shake out ordering bugs. */
  jitterMs?: number;
}

export function probeHandlers(schema: string, member: string, options: ProbeOptions = {}): ConsumedEvent[] {
  return [
    on(ItemRecorded, async (event, { trx }) => {
      if (event.data.poison && !options.healed?.has(event.id)) throw new Error(`poison ${event.subject}#${event.data.seq}`);
      if (options.jitterMs) await sleep(Math.random() * options.jitterMs);
      await trx(`${schema}.effects`).insert({ event_id: event.id, subject: event.subject, seq: event.data.seq, member });
    }),
  ];
}

export interface EffectRow {
  id: number;
  event_id: string;
  subject: string;
  seq: number;
  member: string;
}

export async function effects(knex: Knex, schema: string): Promise<EffectRow[]> {
  return (await knex(`${schema}.effects`).orderBy('id')) as EffectRow[];
}

export interface Node {
  runtime: EventRuntime;
  registry: Registry;
  stop(): Promise<void>;
}

export interface NodeSpec {
  db: Database;
  transport: EventTransport;
  /** The transport is shared with other nodes (in process): the node must not close it. */
  sharedTransport: boolean;
  settings: EventSettings;
  producer?: EventProducer;
  consumer?: EventConsumerSpec;
}

/** What one process runs, started; `stop()` is what a graceful shutdown does. */
export async function startNode(spec: NodeSpec): Promise<Node> {
  const registry = new Registry();
  const runtime = new EventRuntime({
    knex: spec.db.knex,
    databaseKind: spec.db.kind,
    transport: spec.transport,
    producers: spec.producer ? [spec.producer] : [],
    consumers: spec.consumer ? [spec.consumer] : [],
    settings: spec.settings,
    log: silent,
    registry,
    ownsTransport: !spec.sharedTransport,
  });
  await runtime.start();
  let stopped: Promise<void> | undefined;
  return {
    runtime,
    registry,
    stop: () => (stopped ??= runtime.stop()),
  };
}

/** How many events this node's consumer settled with `outcome`. */
export async function settled(node: Node, outcome: 'handled' | 'duplicate' | 'ignored' | 'dead_lettered'): Promise<number> {
  const metric = await node.registry.getSingleMetric('events_consumed_total')?.get();
  return (metric?.values ?? []).filter((v) => v.labels.outcome === outcome).reduce((sum, v) => sum + v.value, 0);
}
