import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServiceProcess, loadEventsConfig, loadProcessConfig } from '../../src/index.ts';
import { createTestDatabase, testTokens, type TestDatabase } from '../../src/testing/index.ts';
import { probeService } from './fixtures/probe-service.ts';
import { effects, uniq, waitFor } from './harness.ts';

const KEYRING = 'events-test:events-test-signing-key-0123456789abcdef0123';

/** A port nothing listens on: a broker that is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('a service process starts and stops its events with it (real PostgreSQL)', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  let admin: { authorization: string };

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    env = { LOG_LEVEL: 'silent', AUTH_SIGNING_KEYS: KEYRING, DATABASE_URL: db.url as string, EVENTS_POLL_INTERVAL_MS: '100', EVENTS_RETRY_MAX_MS: '200' };
    const token = await testTokens(KEYRING).sign({ id: crypto.randomUUID(), role: 'admin', email: 'admin@example.test' });
    admin = { authorization: `Bearer ${token}` };
  });
  afterAll(async () => db?.close());

  const listeners = async () =>
    Number(
      ((await db.knex('pg_stat_activity').where({ application_name: 'fusioncommerce-event-listener', datname: db.knex.raw('current_database()') }).count({ n: '*' })) as { n: number }[])[0]
        ?.n,
    );

  it('when it runs alone on PostgreSQL, then its events go through the database log, and closing it stops relay, consumers and the listener', async () => {
    const built = await buildServiceProcess(probeService, loadProcessConfig(env), { events: loadEventsConfig(env) });
    try {
      expect(built.events.transport.kind).toBe('postgres');
      expect(await listeners()).toBe(1);
      const subject = uniq('wired-');
      const res = await built.app.inject({ method: 'POST', url: '/v1/probe/items', headers: admin, payload: { subject, seqs: [1, 2] } });
      expect(res.statusCode, res.body).toBe(201);
      const rows = await waitFor('both events handled by the service itself', async () => {
        const done = (await effects(built.db.knex, 'probe')).filter((e) => e.subject === subject);
        return done.length === 2 && done;
      });
      expect(rows.map((e) => e.seq)).toEqual([1, 2]);
      expect(await db.knex('fusion_events.log').where({ subject }).pluck('type')).toEqual(['probe.item.recorded', 'probe.item.recorded']);
    } finally {
      await built.app.close();
    }
    await waitFor('the LISTEN connection to close', async () => (await listeners()) === 0, 10_000);
  });

  it('when the configured broker is unreachable, then /ready says so while /health stays up, and events wait in the outbox', async () => {
    const brokerEnv = { ...env, KAFKA_BROKERS: `127.0.0.1:${await closedPort()}` };
    const built = await buildServiceProcess(probeService, loadProcessConfig(brokerEnv), { events: loadEventsConfig(brokerEnv) });
    try {
      expect(built.events.transport.kind).toBe('kafka');
      const ready = await built.app.inject('/ready');
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ status: 'not_ready', checks: { database: { status: 'up' }, events: { status: 'down' } } });
      expect((await built.app.inject('/health')).statusCode).toBe(200);

      const subject = uniq('waiting-');
      const res = await built.app.inject({ method: 'POST', url: '/v1/probe/items', headers: admin, payload: { subject, seqs: [1] } });
      expect(res.statusCode).toBe(201);
      const row = await waitFor('the relay to try and fail', async () => db.knex('probe.outbox').where({ subject }).where('attempts', '>', 0).first());
      expect(row).toMatchObject({ published_at: null });
      expect(row.last_error).toBeTruthy();
      const metrics = (await built.app.inject('/metrics')).body;
      expect(metrics).toMatch(/events_outbox_backlog\{[^}]*producer="probe"[^}]*\} [1-9]/);
      expect(metrics).toMatch(/events_publish_failures_total\{[^}]*producer="probe"[^}]*\} [1-9]/);
    } finally {
      await built.app.close();
    }
  });

  it('when its pool is too small for the event log (every consumer loop needs two connections), then it refuses to start, naming the settings', async () => {
    const small = { ...env, DATABASE_POOL_MAX: '3' };
    await expect(buildServiceProcess(probeService, loadProcessConfig(small), { events: loadEventsConfig(small) })).rejects.toThrow(
      /DATABASE_POOL_MAX is 3, but the PostgreSQL event log needs at least \d+ connections.*EVENTS_CONSUMER_CONCURRENCY/,
    );
    const enough = { ...env, DATABASE_POOL_MAX: '5', EVENTS_CONSUMER_CONCURRENCY: '1' };
    const built = await buildServiceProcess(probeService, loadProcessConfig(enough), { events: loadEventsConfig(enough) });
    await built.app.close();
  });
});
