import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@fusioncommerce/contracts';
import { ConsumerStoppedError, EventConsumer, on, toCloudEvent, type ConsumerOptions } from '../../src/index.ts';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../../src/testing/index.ts';
import { ItemRecorded } from './fixtures/probe-events.ts';
import { createConsumerSchema, effects, probeHandlers, silent, uniq, waitFor } from './harness.ts';

const probeEvent = (data: Record<string, unknown> = { seq: 1 }): CloudEvent =>
  toCloudEvent({ id: crypto.randomUUID(), type: ItemRecorded.type, source: '/fusioncommerce/probe', subject: uniq('s-'), time: new Date(), data });

describe.each(BACKENDS)('a consumer on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
  });
  afterAll(async () => db.close());

  const makeConsumer = async (overrides: Partial<ConsumerOptions> = {}) => {
    const schema = uniq('c_');
    await createConsumerSchema(db.knex, schema);
    const options: ConsumerOptions = {
      group: uniq('g'),
      schema,
      knex: db.knex,
      handlers: probeHandlers(schema, 'only'),
      maxAttempts: 3,
      retryInitialMs: 5,
      retryMaxMs: 20,
      log: silent,
      ...overrides,
    };
    return { consumer: new EventConsumer(options), schema, group: options.group };
  };

  it('when the same event arrives twice at once, then its effect happens once and the other copy is a duplicate', async () => {
    const { consumer, schema } = await makeConsumer();
    const event = probeEvent();
    const outcomes = await Promise.all([consumer.settle(event), consumer.settle(structuredClone(event))]);
    expect(outcomes.sort()).toEqual(['duplicate', 'handled']);
    expect(await effects(db.knex, schema)).toHaveLength(1);
    expect(await consumer.settle(event)).toBe('duplicate');
  });

  it('when a handler fails and then succeeds, then the event is handled once and leaves no dead letter', async () => {
    const schema = uniq('c_');
    await createConsumerSchema(db.knex, schema);
    let calls = 0;
    const { consumer } = await makeConsumer({
      schema,
      handlers: [
        on(ItemRecorded, async (event, { trx }) => {
          calls += 1;
          // Writes of a failed attempt roll back with it.
          await trx(`${schema}.effects`).insert({ event_id: event.id, subject: event.subject, seq: calls, member: 'only' });
          if (calls < 3) throw new Error('flaky dependency');
        }),
      ],
    });
    expect(await consumer.settle(probeEvent())).toBe('handled');
    expect(calls).toBe(3);
    expect((await effects(db.knex, schema)).map((e) => e.seq)).toEqual([3]);
    expect(await db.knex(`${schema}.dead_letters`)).toEqual([]);
  });

  it('when it fails on every attempt, then it is dead-lettered once with the attempts and the reason, and a redelivery is not retried', async () => {
    const { consumer, schema, group } = await makeConsumer();
    const event = probeEvent({ seq: 7, poison: true });
    expect(await consumer.settle(event)).toBe('dead_lettered');
    const letters = await db.knex(`${schema}.dead_letters`);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ consumer_group: group, event_id: event.id, attempts: 3, status: 'dead', subject: event.subject });
    expect(letters[0].error).toContain('poison');
    expect(letters[0].event).toMatchObject({ id: event.id, data: { seq: 7, poison: true } });
    expect(await consumer.settle(event)).toBe('duplicate');
    expect(await db.knex(`${schema}.dead_letters`)).toHaveLength(1);
  });

  it('when the consumer stops while an event waits for its next attempt, then the event is handed back unsettled', async () => {
    let attempts = 0;
    const schema = uniq('c_');
    await createConsumerSchema(db.knex, schema);
    const { consumer } = await makeConsumer({
      schema,
      maxAttempts: 10,
      retryInitialMs: 60_000,
      retryMaxMs: 60_000,
      handlers: [
        on(ItemRecorded, async () => {
          attempts += 1;
          throw new Error('down');
        }),
      ],
    });
    const settling = consumer.settle(probeEvent());
    await waitFor('the first failed attempt', async () => attempts === 1);
    await consumer.stop();
    await expect(settling).rejects.toBeInstanceOf(ConsumerStoppedError);
    // Nothing recorded: the transport delivers it again after the restart.
    expect(await db.knex(`${schema}.inbox`)).toEqual([]);
    expect(await db.knex(`${schema}.dead_letters`)).toEqual([]);
    await expect(consumer.settle(probeEvent())).rejects.toBeInstanceOf(ConsumerStoppedError);
  });

  it('when an event has no handler here, then it is ignored without leaving a trace', async () => {
    const { consumer, schema } = await makeConsumer();
    const other = { ...probeEvent(), type: 'catalog.product.created' };
    expect(await consumer.settle(other)).toBe('ignored');
    expect(await db.knex(`${schema}.inbox`)).toEqual([]);
  });

  it('when a handler says which events concern it, then the others are ignored without a transaction, and a broken filter leaves the choice to the handler', async () => {
    const schema = uniq('c_');
    await createConsumerSchema(db.knex, schema);
    const [probe] = probeHandlers(schema, 'only');
    const evenOnly = on(ItemRecorded, probe!.handle, { when: (event) => event.data.seq % 2 === 0 });
    const consumer = new EventConsumer({ group: uniq('g'), schema, knex: db.knex, handlers: [evenOnly], maxAttempts: 1, retryInitialMs: 5, retryMaxMs: 5, log: silent });
    expect(await consumer.settle(probeEvent({ seq: 1 }))).toBe('ignored');
    expect(await consumer.settle(probeEvent({ seq: 2 }))).toBe('handled');
    expect((await effects(db.knex, schema)).map((e) => e.seq)).toEqual([2]);
    expect(await db.knex(`${schema}.inbox`)).toHaveLength(1);

    const broken = on(ItemRecorded, probe!.handle, {
      when: () => {
        throw new Error('filter bug');
      },
    });
    const trusting = new EventConsumer({ group: uniq('g'), schema, knex: db.knex, handlers: [broken], maxAttempts: 1, retryInitialMs: 5, retryMaxMs: 5, log: silent });
    expect(await trusting.settle(probeEvent({ seq: 3 }))).toBe('handled');
  });

  it('when the envelope is not CloudEvents 1.0, then it goes to the dead letters without a retry', async () => {
    const { consumer, schema } = await makeConsumer();
    const broken = { ...probeEvent(), specversion: '0.3' } as unknown as CloudEvent;
    expect(await consumer.settle(broken)).toBe('dead_lettered');
    const [letter] = await db.knex(`${schema}.dead_letters`);
    expect(letter).toMatchObject({ attempts: 0, event_id: broken.id });
    expect(letter.error).toContain('specversion must be "1.0"');
  });

  it('when two handlers are declared for one type, then the consumer refuses to start', async () => {
    await expect(makeConsumer({ handlers: [...probeHandlers('x', 'a'), ...probeHandlers('x', 'b')] })).rejects.toThrow(/two handlers for probe.item.recorded/);
  });
});
