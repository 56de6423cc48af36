/**
 * `fusion smoke` against the distributed platform: every service in its own
 * app on its own port, events between them through the database, and the
 * gateway proxying — the shape of Docker Compose and Kubernetes. The whole
 * smoke test passes through the gateway, the events and the order saga
 * included, as it does against the embedded platform.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTokens } from '@fusioncommerce/platform/testing';
import { SIGNING_KEYS, cli, startDistributedPlatform, type DistributedPlatform } from './support/platform.ts';

interface EventPage {
  data: { id: string; service: string; type: string }[];
  nextCursor: string | null;
}

describe('fusion smoke against a proxying gateway in front of every service', () => {
  let platform: DistributedPlatform;
  beforeAll(async () => {
    platform = await startDistributedPlatform();
  });
  afterAll(async () => platform?.close());

  it('when every service runs on its own, then every step passes through the gateway, events and order required', async () => {
    const { code, stdout } = await cli(['smoke', platform.url, '--signing-keys', SIGNING_KEYS, '--require', 'events,order', '--wait', '30']);
    expect(stdout, stdout).toContain('PASSED');
    expect(code).toBe(0);
    for (const step of ['health', 'admin-auth', 'product', 'events', 'order', 'cleanup']) expect(stdout).toMatch(new RegExp(`PASS\\s+${step}\\b`));
    expect(stdout).toMatch(/events: orders\.order\.placed → .*orders\.order\.confirmed/);
  });

  it('when an admin lists events through the gateway, then every service’s outbox is in one list, newest first, and its pages join up', async () => {
    const token = await testTokens(SIGNING_KEYS).sign({ id: crypto.randomUUID(), role: 'admin', email: 'ops@example.test' });
    const read = async (query: string) => {
      const answer = await fetch(`${platform.url}/v1/admin/events?${query}`, { headers: { authorization: `Bearer ${token}` } });
      expect(answer.status).toBe(200);
      return (await answer.json()) as EventPage;
    };
    const all = await read('limit=200');
    // The smoke test's product, stock, order and payment: four processes' events in one answer.
    expect([...new Set(all.data.map((e) => e.service))]).toEqual(expect.arrayContaining(['catalog', 'inventory', 'orders', 'payments']));
    const ids = all.data.map((e) => e.id);
    expect(ids).toEqual([...ids].sort().reverse());

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: EventPage = await read(`limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(3);
      paged.push(...page.data.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(ids);
  });

  it('when one service is stopped, then the smoke test fails at the step that needs it, naming the 502', async () => {
    await platform.services.get('catalog')?.app.close();
    const { code, stdout } = await cli(['smoke', platform.url, '--signing-keys', SIGNING_KEYS]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/PASS\s+health/);
    expect(stdout).toMatch(/FAIL\s+admin-auth\s+.*502 GATEWAY\.UPSTREAM_UNAVAILABLE/);
  });
});
