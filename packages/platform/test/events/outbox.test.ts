import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onOutboxCommit, recordEvents } from '../../src/index.ts';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../../src/testing/index.ts';
import { ItemRecorded } from './fixtures/probe-events.ts';
import { createProducerSchema, uniq } from './harness.ts';

describe.each(BACKENDS)('the outbox on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
  });
  afterAll(async () => db.close());

  const unpublished = async (schema: string) => Number((await db.knex(`${schema}.outbox`).whereNull('published_at').count({ n: '*' }))[0]?.n ?? 0);

  /** Resolves with how many unpublished rows the relay would find at the moment it is woken. */
  const nextWake = (schema: string) =>
    new Promise<Promise<number>>((resolve) => {
      const stop = onOutboxCommit(schema, () => {
        stop();
        resolve(unpublished(schema));
      });
    });

  it('when a transaction records events and commits, then the relay is woken and finds them', async () => {
    const schema = uniq('ob_');
    await createProducerSchema(db.knex, schema);
    const woken = nextWake(schema);
    await db.knex.transaction((trx) => recordEvents(trx, schema, [{ type: ItemRecorded.type, subject: 's', data: { seq: 1 } }]));
    expect(await (await woken)).toBe(1);
  });

  it('when events are recorded in a savepoint of a longer transaction, then the relay is woken at the outer commit, not before', async () => {
    // A use case inside a consumer's transaction: its own transaction is a savepoint of the consumer's.
    const schema = uniq('ob_');
    await createProducerSchema(db.knex, schema);
    let woken = 0;
    const stop = onOutboxCommit(schema, () => (woken += 1));
    const visibleAtWake = nextWake(schema);
    await db.knex.transaction(async (outer) => {
      await outer.transaction((inner) => recordEvents(inner, schema, [{ type: ItemRecorded.type, subject: 's', data: { seq: 1 } }]));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(woken).toBe(0);
    });
    expect(await (await visibleAtWake)).toBe(1);
    stop();
    expect(woken).toBe(1);
  });

  it('when the transaction rolls back, then nobody is woken and nothing is left to publish', async () => {
    const schema = uniq('ob_');
    await createProducerSchema(db.knex, schema);
    let woken = 0;
    const stop = onOutboxCommit(schema, () => (woken += 1));
    await expect(
      db.knex.transaction(async (trx) => {
        await recordEvents(trx, schema, [{ type: ItemRecorded.type, subject: 's', data: { seq: 1 } }]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await new Promise((resolve) => setTimeout(resolve, 20));
    stop();
    expect(woken).toBe(0);
    expect(await unpublished(schema)).toBe(0);
  });
});
