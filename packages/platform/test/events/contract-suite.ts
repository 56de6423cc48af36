/**
 * What every transport must do, as one suite each transport's test file runs:
 * survive a crash between commit and publish, absorb duplicates, park poison
 * without stopping the rest, keep one subject in order, resume after a
 * restart, and share a group's work between members without doubles.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { CloudEvent } from '@fusioncommerce/contracts';
import { topicFor, type EventSettings, type EventTransport } from '../../src/index.ts';
import { createTestDatabase, type Backend, type TestDatabase } from '../../src/testing/index.ts';
import {
  createConsumerSchema,
  createProducerSchema,
  effects,
  probeHandlers,
  record,
  settled,
  startNode,
  testSettings,
  uniq,
  waitFor,
  type Node,
  type NodeSpec,
  type ProbeOptions,
} from './harness.ts';

export interface TransportVariant {
  /** Shown in the suite's name. */
  name: string;
  backend: Backend;
  /** One transport for every node of a test (in process: the nodes are parts of one process). */
  shared: boolean;
  create(db: TestDatabase, settings: EventSettings): EventTransport;
  /** Deadline for a wait; a broker's group rebalances take seconds. */
  waitMs?: number;
  /** Moves the group back to the start, as a lost offset commit would: everything comes again. */
  rewind?(db: TestDatabase, group: string): Promise<void>;
  /** The transport may hand a member an event another member already settled (a broker's rebalance). */
  mayRedeliverOnRebalance?: boolean;
}

const commitThenHang = fileURLToPath(new URL('./fixtures/commit-then-hang.ts', import.meta.url));
const root = fileURLToPath(new URL('../../../..', import.meta.url));

/** Runs the producer that dies between commit and publish, and kills it once it is stuck publishing. */
async function killBetweenCommitAndPublish(db: TestDatabase, schema: string, subject: string, count: number): Promise<void> {
  const child = spawn(process.execPath, ['--conditions=fusion-source', '--import', 'tsx', commitThenHang], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: db.url, PROBE_SCHEMA: schema, PROBE_SUBJECT: subject, PROBE_COUNT: String(count) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  try {
    await waitFor(`the producer to get stuck publishing (output so far: ${output})`, async () => output.includes('publishing'), 60_000);
  } finally {
    child.kill('SIGKILL');
  }
  expect(await exited).toBe('SIGKILL');
}

export function describeTransportContract(variant: TransportVariant): void {
  describe(`the event backbone over ${variant.name}`, () => {
    let db: TestDatabase;
    const waitMs = variant.waitMs ?? 30_000;

    beforeAll(async () => {
      db = await createTestDatabase(variant.backend);
    });
    afterAll(async () => db?.close());

    /** A test's world: its own producer schema, topic prefix and consumer schemas; everything started is stopped after the test. */
    async function world() {
      const settings = testSettings(uniq('t'));
      const producer = { service: 'probe', schema: uniq('p_') };
      await createProducerSchema(db.knex, producer.schema);
      const nodes: Node[] = [];
      let shared: EventTransport | undefined;
      onTestFinished(async () => {
        for (const node of nodes) await node.stop();
        await shared?.close();
      });
      const transport = () => (variant.shared ? (shared ??= variant.create(db, settings)) : variant.create(db, settings));
      const start = async (spec: Omit<NodeSpec, 'db' | 'transport' | 'sharedTransport' | 'settings'>) => {
        const node = await startNode({ db, transport: transport(), sharedTransport: variant.shared, settings, ...spec });
        nodes.push(node);
        return node;
      };
      const consumerGroup = async () => {
        const schema = uniq('c_');
        await createConsumerSchema(db.knex, schema);
        return { group: uniq('g'), schema };
      };
      const consumer = (group: { group: string; schema: string }, member: string, probe: ProbeOptions = {}) => ({
        ...group,
        handlers: probeHandlers(group.schema, member, probe),
      });
      const outbox = async () => (await db.knex(`${producer.schema}.outbox`).orderBy('position')) as { id: string; published_at: Date | null }[];
      return { settings, producer, start, consumerGroup, consumer, outbox, topic: topicFor(settings.topicPrefix, 'probe') };
    }

    it('when the producing process dies between commit and publish, then its events are delivered after the restart, once and in order', async () => {
      const w = await world();
      const subject = uniq('order-');
      if (variant.backend === 'postgres') {
        await killBetweenCommitAndPublish(db, w.producer.schema, subject, 3);
      } else {
        // PGlite lives inside one process: "died after commit" is events committed while no relay ran.
        await record(db.knex, w.producer.schema, subject, [1, 2, 3]);
      }
      expect((await w.outbox()).map((r) => r.published_at)).toEqual([null, null, null]);

      const group = await w.consumerGroup();
      await w.start({ producer: w.producer, consumer: w.consumer(group, 'restarted') });
      const handled = await waitFor('the three events', async () => {
        const rows = await effects(db.knex, group.schema);
        return rows.length >= 3 && rows;
      }, waitMs);
      expect(handled.map((e) => [e.subject, e.seq])).toEqual([
        [subject, 1],
        [subject, 2],
        [subject, 3],
      ]);
      await waitFor('the outbox rows to be marked sent', async () => (await w.outbox()).every((r) => r.published_at !== null), waitMs);
    });

    it('when an event is delivered twice, then it has one effect', async () => {
      const w = await world();
      const group = await w.consumerGroup();
      const inner = await w.start({ consumer: w.consumer(group, 'only') });
      // A transport that takes the batch and then loses the acknowledgement, once: the relay must publish it again.
      let publishes = 0;
      const forgetful: EventTransport = {
        kind: inner.runtime.transport.kind,
        start: async () => undefined,
        publish: async (topic, events) => {
          publishes += 1;
          await inner.runtime.transport.publish(topic, events);
          if (publishes === 1) throw new Error('acknowledgement lost');
        },
        subscribe: () => Promise.reject(new Error('not used')),
        check: async () => undefined,
        lag: async () => 0,
        close: async () => undefined,
      };
      await startNode({ db, transport: forgetful, sharedTransport: true, settings: w.settings, producer: w.producer }).then((node) =>
        onTestFinished(() => node.stop()),
      );
      const [event] = await record(db.knex, w.producer.schema, uniq('dup-'), [1]);
      await waitFor('the relay to publish again and mark the row sent', async () => (await w.outbox()).every((r) => r.published_at !== null), waitMs);
      expect(publishes).toBe(2);

      // And once more by hand, straight onto the transport, and by losing the group's offsets.
      await inner.runtime.transport.publish(w.topic, [event as CloudEvent]);
      await variant.rewind?.(db, group.group);
      await waitFor('the handled event', async () => (await effects(db.knex, group.schema)).length > 0, waitMs);
      // Give any double a chance to land before counting: settle a later event of the same subject behind it.
      const [marker] = await record(db.knex, w.producer.schema, (event as CloudEvent).subject, [2]);
      await waitFor('the event behind it', async () => (await effects(db.knex, group.schema)).some((e) => e.event_id === marker?.id), waitMs);
      const rows = await effects(db.knex, group.schema);
      expect(rows.filter((e) => e.event_id === event?.id)).toHaveLength(1);
      // The double really arrived, and the inbox turned it away.
      expect(await settled(inner, 'duplicate')).toBeGreaterThanOrEqual(1);
    });

    it('when one event keeps failing, then it lands in the dead letters while the rest flow, and a replay after the fix applies it once', async () => {
      const w = await world();
      const group = await w.consumerGroup();
      const healed = new Set<string>();
      const node = await w.start({ producer: w.producer, consumer: w.consumer(group, 'only', { healed }) });
      const subjects = Array.from({ length: 4 }, () => uniq('s-'));
      const poisoned = subjects[1] as string;
      const recorded: CloudEvent[] = [];
      for (const subject of subjects) recorded.push(...(await record(db.knex, w.producer.schema, subject, [1, 2, 3], { poison: subject === poisoned ? [2] : [] })));
      const poison = recorded.find((e) => e.subject === poisoned && (e.data as { seq: number }).seq === 2) as CloudEvent;

      const rows = await waitFor('every healthy event', async () => {
        const done = await effects(db.knex, group.schema);
        return done.length >= recorded.length - 1 && done;
      }, waitMs);
      expect(rows).toHaveLength(recorded.length - 1);
      expect(rows.some((e) => e.event_id === poison.id)).toBe(false);
      // The poisoned subject's later event went on without it.
      expect(rows.filter((e) => e.subject === poisoned).map((e) => e.seq)).toEqual([1, 3]);

      const letters = await node.runtime.listDeadLetters({ limit: 10 });
      expect(letters.data).toHaveLength(1);
      expect(letters.data[0]).toMatchObject({ eventId: poison.id, consumerGroup: group.group, type: 'probe.item.recorded', attempts: w.settings.maxAttempts, status: 'dead' });
      expect(letters.data[0]?.error).toContain(`poison ${poisoned}#2`);

      healed.add(poison.id);
      const replayed = await node.runtime.replay(letters.data[0]?.id as string);
      expect(replayed).toMatchObject({ status: 'replayed', replayAttempts: 1 });
      expect((await effects(db.knex, group.schema)).filter((e) => e.event_id === poison.id)).toHaveLength(1);
      await expect(node.runtime.replay(replayed.id)).rejects.toMatchObject({ code: 'EVENTS.ALREADY_REPLAYED' });
      expect((await effects(db.knex, group.schema)).filter((e) => e.event_id === poison.id)).toHaveLength(1);
    });

    it('when an event breaks its contract, then the consumer parks it without running the handler or retrying', async () => {
      const w = await world();
      const group = await w.consumerGroup();
      const node = await w.start({ consumer: w.consumer(group, 'only') });
      const bad = {
        specversion: '1.0',
        id: uniq('bad-'),
        source: '/fusioncommerce/probe',
        type: 'probe.item.recorded',
        subject: uniq('s-'),
        time: new Date().toISOString(),
        datacontenttype: 'application/json',
        data: { seq: 'one' },
      } as const;
      await node.runtime.transport.publish(w.topic, [bad as unknown as CloudEvent]);
      const letter = await waitFor('the dead letter', async () => (await node.runtime.listDeadLetters({ limit: 10 })).data[0], waitMs);
      expect(letter).toMatchObject({ eventId: bad.id, attempts: 0, status: 'dead' });
      expect(letter.error).toMatch(/does not match its contract: \/seq/);
      expect(await effects(db.knex, group.schema)).toEqual([]);
    });

    it('when one aggregate has many events and two members share the group, then they are handled in the order they were recorded', async () => {
      const w = await world();
      const group = await w.consumerGroup();
      await w.start({ producer: w.producer, consumer: w.consumer(group, 'a', { jitterMs: 3 }) });
      await w.start({ consumer: w.consumer(group, 'b', { jitterMs: 3 }) });
      const subjects = Array.from({ length: 4 }, () => uniq('agg-'));
      // Interleaved across subjects, some events of one subject in one transaction and some in the next.
      for (let seq = 1; seq <= 12; seq += 2) {
        for (const subject of subjects) await record(db.knex, w.producer.schema, subject, [seq, seq + 1]);
      }
      const rows = await waitFor('all 48 events', async () => {
        const done = await effects(db.knex, group.schema);
        return done.length >= 48 && done;
      }, waitMs);
      for (const subject of subjects) {
        expect(rows.filter((e) => e.subject === subject).map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      }
    });

    it('when a consumer is restarted, then it resumes where it stopped: nothing is handled twice and nothing is missed', async () => {
      const w = await world();
      const group = await w.consumerGroup();
      const subject = uniq('resume-');
      // In process, the consumer restarts with its process, relay included; elsewhere the producer keeps running.
      const producerNode = variant.shared ? undefined : await w.start({ producer: w.producer });
      const first = await w.start({ producer: variant.shared ? w.producer : undefined, consumer: w.consumer(group, 'first') });
      const wave1 = await record(db.knex, w.producer.schema, subject, [1, 2, 3, 4, 5]);
      await waitFor('the first wave', async () => (await effects(db.knex, group.schema)).length >= 5, waitMs);
      await first.stop();

      const wave2 = await record(db.knex, w.producer.schema, subject, [6, 7, 8, 9, 10]);
      if (producerNode) {
        await waitFor('the second wave to be published while the consumer is down', async () => (await w.outbox()).every((r) => r.published_at !== null), waitMs);
        expect(await producerNode.runtime.transport.lag(group.group, [w.topic])).toBe(5);
      }
      expect((await effects(db.knex, group.schema)).length).toBe(5);

      const second = await w.start({ producer: variant.shared ? w.producer : undefined, consumer: w.consumer(group, 'second') });
      const rows = await waitFor('the second wave', async () => {
        const done = await effects(db.knex, group.schema);
        return done.length >= 10 && done;
      }, waitMs);
      expect(rows.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(rows.filter((e) => e.member === 'second').map((e) => e.event_id)).toEqual(wave2.map((e) => e.id));
      expect(rows.filter((e) => e.member === 'first').map((e) => e.event_id)).toEqual(wave1.map((e) => e.id));
      // Resumed from its offset: the first wave did not even reach the inbox check again.
      expect(await settled(second, 'handled')).toBe(5);
      expect(await settled(second, 'duplicate')).toBe(0);
      if (producerNode) await waitFor('the lag to drain', async () => (await producerNode.runtime.transport.lag(group.group, [w.topic])) === 0, waitMs);
    });

    it('when two members share one consumer group, then each event is handled by exactly one of them and both do work', async () => {
      const w = await world();
      const group = await w.consumerGroup();
      const a = await w.start({ producer: w.producer, consumer: w.consumer(group, 'a') });
      const b = await w.start({ consumer: w.consumer(group, 'b') });
      const recorded: CloudEvent[] = [];
      // Waves until both have handled something: with a broker the second member's partitions arrive after a rebalance.
      for (let wave = 0; wave < 15; wave++) {
        for (let i = 0; i < 10; i++) recorded.push(...(await record(db.knex, w.producer.schema, uniq('share-'), [1])));
        await waitFor('the wave', async () => (await effects(db.knex, group.schema)).length >= recorded.length, waitMs);
        if (new Set((await effects(db.knex, group.schema)).map((e) => e.member)).size === 2) break;
      }
      const rows = await effects(db.knex, group.schema);
      expect(rows.map((e) => e.event_id).sort()).toEqual(recorded.map((e) => e.id).sort());
      expect(new Set(rows.map((e) => e.member))).toEqual(new Set(['a', 'b']));
      // Not even delivered twice: members never work on the same partition at once.
      if (!variant.mayRedeliverOnRebalance) expect((await settled(a, 'duplicate')) + (await settled(b, 'duplicate'))).toBe(0);
    });
  });
}
