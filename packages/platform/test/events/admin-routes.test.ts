import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServiceProcess, loadEventsConfig, loadProcessConfig, type BuiltProcess } from '../../src/index.ts';
import { BACKENDS, createTestDatabase, testTokens, type TestDatabase } from '../../src/testing/index.ts';
import { probeService } from './fixtures/probe-service.ts';
import { effects, uniq, waitFor } from './harness.ts';

const KEYRING = 'events-test:events-test-signing-key-0123456789abcdef0123';
const tokens = testTokens(KEYRING);
const bearer = async (role: 'admin' | 'customer') => ({
  authorization: `Bearer ${await tokens.sign({ id: crypto.randomUUID(), role, email: `${role}@example.test` })}`,
});

/** The value of the sample of `name` whose labels include `labels` (label order in the text varies). */
function sample(body: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of body.split('\n')) {
    const match = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] as string).matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
interface EventView {
  id: string;
  service: string;
  type: string;
  subject: string;
  publishedAt: string | null;
  data: { seq: number };
}
interface DeadLetterView {
  id: string;
  eventId: string;
  status: string;
  attempts: number;
  error: string;
  replayAttempts: number;
  lastReplayError: string | null;
}

describe.each(BACKENDS)('event admin endpoints and metrics of a service process on %s', (backend) => {
  let db: TestDatabase | undefined;
  let dataDir: string | undefined;
  let built: BuiltProcess;
  let admin: { authorization: string };

  beforeAll(async () => {
    const env: Record<string, string> = {
      LOG_LEVEL: 'silent',
      AUTH_SIGNING_KEYS: KEYRING,
      EVENTS_POLL_INTERVAL_MS: '50',
      EVENTS_MAX_ATTEMPTS: '2',
      EVENTS_RETRY_INITIAL_MS: '5',
      EVENTS_RETRY_MAX_MS: '20',
    };
    if (backend === 'postgres') {
      db = await createTestDatabase('postgres');
      env.DATABASE_URL = db.url as string;
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'fusion-events-'));
      env.FUSION_DATA_DIR = dataDir;
    }
    built = await buildServiceProcess(probeService, loadProcessConfig(env), { events: loadEventsConfig(env) });
    admin = await bearer('admin');
  });
  afterAll(async () => {
    await built?.app.close();
    await db?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const inject = (options: InjectOptions) => built.app.inject(options);

  const recordItems = async (subject: string, seqs: number[], poison: number[] = []) => {
    const res = await inject({ method: 'POST', url: '/v1/probe/items', headers: admin, payload: { subject, seqs, poison } });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { ids: string[] }).ids;
  };

  it('when events flow, then an admin pages through them newest first, and nobody else may look', async () => {
    const subject = uniq('page-');
    const ids = await recordItems(subject, [1, 2, 3, 4, 5]);
    await waitFor('the five effects', async () => (await effects(built.db.knex, 'probe')).filter((e) => e.subject === subject).length === 5);

    expect((await inject({ url: '/v1/admin/events' })).statusCode).toBe(401);
    expect((await inject({ url: '/v1/admin/events', headers: await bearer('customer') })).statusCode).toBe(403);

    const seen: EventView[] = [];
    let cursor: string | null = null;
    do {
      const res = await inject({ url: `/v1/admin/events?subject=${subject}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: admin });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as Page<EventView>;
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((e) => e.id)).toEqual([...ids].reverse());
    expect(seen.every((e) => e.service === 'probe' && e.type === 'probe.item.recorded' && e.publishedAt !== null)).toBe(true);
    expect(seen.map((e) => e.data.seq)).toEqual([5, 4, 3, 2, 1]);

    const pending = await inject({ url: `/v1/admin/events?subject=${subject}&status=pending`, headers: admin });
    expect((pending.json() as Page<EventView>).data).toEqual([]);
    const bad = await inject({ url: '/v1/admin/events?cursor=not-a-cursor', headers: admin });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'REQUEST.INVALID_CURSOR' });
  });

  it('when an event keeps failing, then an admin finds it in the dead letters, a replay that fails again says why, and one after the fix applies it once', async () => {
    const subject = uniq('poison-');
    const [, poisonId] = await recordItems(subject, [1, 2, 3], [2]);
    const letter = await waitFor('the dead letter', async () => {
      const page = (await inject({ url: '/v1/admin/dead-letters', headers: admin })).json() as Page<DeadLetterView>;
      return page.data.find((d) => d.eventId === poisonId);
    });
    expect(letter).toMatchObject({ status: 'dead', attempts: 2, replayAttempts: 0 });
    expect(letter.error).toContain(`poison ${subject}#2`);
    await waitFor('the healthy events', async () => (await effects(built.db.knex, 'probe')).filter((e) => e.subject === subject).length === 2);

    const metrics = async () => (await inject({ url: '/metrics' })).body;
    expect(sample(await metrics(), 'events_dead_letters', { consumer_group: 'probe' })).toBe(1);

    const again = await inject({ method: 'POST', url: `/v1/admin/dead-letters/${letter.id}/replay`, headers: admin });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'EVENTS.REPLAY_FAILED' });
    const stillDead = (await inject({ url: `/v1/admin/dead-letters/${letter.id}`, headers: admin })).json() as DeadLetterView;
    expect(stillDead).toMatchObject({ status: 'dead', replayAttempts: 1 });
    expect(stillDead.lastReplayError).toContain('poison');

    // The fix: the event's data is corrected in the letter, as an operator might after a bad deploy.
    await built.db.knex('probe.dead_letters').where({ id: letter.id }).update({ event: built.db.knex.raw(`jsonb_set(event, '{data,poison}', 'false')`) });
    const replay = await inject({ method: 'POST', url: `/v1/admin/dead-letters/${letter.id}/replay`, headers: admin });
    expect(replay.statusCode, replay.body).toBe(200);
    expect(replay.json()).toMatchObject({ id: letter.id, status: 'replayed', replayAttempts: 2, lastReplayError: null });
    expect((await effects(built.db.knex, 'probe')).filter((e) => e.event_id === poisonId)).toHaveLength(1);

    const twice = await inject({ method: 'POST', url: `/v1/admin/dead-letters/${letter.id}/replay`, headers: admin });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'EVENTS.ALREADY_REPLAYED' });
    expect((await effects(built.db.knex, 'probe')).filter((e) => e.event_id === poisonId)).toHaveLength(1);

    const open = (await inject({ url: '/v1/admin/dead-letters', headers: admin })).json() as Page<DeadLetterView>;
    expect(open.data.some((d) => d.id === letter.id)).toBe(false);
    const all = (await inject({ url: '/v1/admin/dead-letters?status=any', headers: admin })).json() as Page<DeadLetterView>;
    expect(all.data.find((d) => d.id === letter.id)).toMatchObject({ status: 'replayed' });
    expect(sample(await metrics(), 'events_dead_letters', { consumer_group: 'probe' })).toBe(0);
  });

  it('when a dead letter does not exist, then it is a 404 problem', async () => {
    const res = await inject({ url: `/v1/admin/dead-letters/${crypto.randomUUID()}`, headers: admin });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'EVENTS.DEAD_LETTER_NOT_FOUND' });
    const replay = await inject({ method: 'POST', url: `/v1/admin/dead-letters/${crypto.randomUUID()}/replay`, headers: admin });
    expect(replay.statusCode).toBe(404);
  });

  it('when scraped, then /metrics shows the outbox backlog, publish latency, consumer lag and what consumers did', async () => {
    const subject = uniq('metrics-');
    await recordItems(subject, [1]);
    await waitFor('the effect', async () => (await effects(built.db.knex, 'probe')).some((e) => e.subject === subject));
    // The relay marks its batch and the consumer commits its offset just after the effect: wait for both to settle.
    const body = await waitFor('backlog and lag to drain', async () => {
      const text = (await inject({ url: '/metrics' })).body;
      return sample(text, 'events_outbox_backlog', { producer: 'probe' }) === 0 && sample(text, 'events_consumer_lag', { consumer_group: 'probe' }) === 0 && text;
    });
    expect(sample(body, 'events_outbox_backlog', { producer: 'probe', service: 'probe' })).toBe(0);
    expect(sample(body, 'events_publish_latency_seconds_count', { producer: 'probe' })).toBeGreaterThan(0);
    expect(sample(body, 'events_published_total', { producer: 'probe' })).toBeGreaterThan(0);
    expect(sample(body, 'events_consumer_lag', { consumer_group: 'probe' })).toBe(0);
    expect(sample(body, 'events_consumed_total', { consumer_group: 'probe', type: 'probe.item.recorded', outcome: 'handled' })).toBeGreaterThan(0);
    const ready = await inject({ url: '/ready' });
    expect(ready.statusCode, ready.body).toBe(200);
    expect(ready.json()).toMatchObject({ checks: { events: { status: 'up' } } });
  });
});
