import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, type TestApp } from '../../src/testing/index.ts';
import { probeService } from './fixtures/probe-service.ts';
import { effects, uniq, waitFor } from './harness.ts';

describe('test apps with events, for suites of services that consume them', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp([probeService], await createTestDatabase('pglite'), { events: { EVENTS_POLL_INTERVAL_MS: 60_000 } });
  });
  afterAll(async () => {
    await t.close();
    await t.db.close();
  });

  it('when a suite settles the events, then every recorded event has been handled by the time it returns', async () => {
    const subject = uniq('settle-');
    const res = await t.app.inject({ method: 'POST', url: '/v1/probe/items', headers: await t.as('admin'), payload: { subject, seqs: [1, 2, 3] } });
    expect(res.statusCode).toBe(201);
    await t.events?.settle();
    expect((await effects(t.db.knex, 'probe')).filter((e) => e.subject === subject).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(await t.events?.pendingEvents()).toBe(0);
  });

  it('when a transaction with events commits, then the relay publishes at once rather than at its next poll (a minute away here)', async () => {
    const subject = uniq('wake-');
    await t.app.inject({ method: 'POST', url: '/v1/probe/items', headers: await t.as('admin'), payload: { subject, seqs: [1] } });
    await waitFor('the effect, well before the next poll', async () => (await effects(t.db.knex, 'probe')).some((e) => e.subject === subject), 20_000);
  });
});
