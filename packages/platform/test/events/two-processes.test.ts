/**
 * Separate OS processes with only PostgreSQL between them: the catalog
 * service as it runs alone, and consumer processes of catalog events.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testTokens, type TestDatabase } from '../../src/testing/index.ts';
import { uniq, waitFor } from './harness.ts';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const listenerScript = fileURLToPath(new URL('./fixtures/catalog-listener.ts', import.meta.url));
const KEYRING = 'events-test:events-test-signing-key-0123456789abcdef0123';

interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
}

const running: RunningProcess[] = [];

function start(script: string, env: Record<string, string>): RunningProcess {
  let output = '';
  const child = spawn(process.execPath, ['--conditions=fusion-source', '--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', HOST: '127.0.0.1', LOG_LEVEL: 'warn', AUTH_SIGNING_KEYS: KEYRING, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const proc = { child, output: () => output, exited };
  running.push(proc);
  return proc;
}

async function kill(proc: RunningProcess): Promise<void> {
  proc.child.kill('SIGKILL');
  await proc.exited;
}

interface Received {
  event_id: string;
  type: string;
  product_id: string;
  version: number;
  pid: number;
}

describe('catalog and a consumer in separate processes, over the PostgreSQL event log', () => {
  let db: TestDatabase;
  const port = 20_000 + Math.floor(Math.random() * 10_000);
  const catalogUrl = `http://127.0.0.1:${port}`;
  let admin: Record<string, string>;

  const startListener = async (): Promise<RunningProcess> => {
    const listener = start(listenerScript, { PORT: '0', DATABASE_URL: db.url as string, LOG_LEVEL: 'info' });
    const url = await waitFor(`the listener to listen (output: ${listener.output()})`, async () => /listening on (http:\/\/[\d.:]+)/.exec(listener.output())?.[1], 60_000);
    await waitFor('the listener to be ready', async () => (await fetch(`${url}/ready`).catch(() => undefined))?.ok);
    return listener;
  };

  const received = async (): Promise<Received[]> => (await db.knex('catalog_listener.received').orderBy('id')) as Received[];

  const createProduct = async (): Promise<string> => {
    const id = uniq('').toLowerCase();
    const res = await fetch(`${catalogUrl}/v1/products`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: `Two process product ${id}`,
        slug: `two-process-${id}`,
        variants: [{ sku: `TP-${id}`.toUpperCase(), options: { size: 'M' }, price: { amount: 1500, currency: 'USD' } }],
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    const token = await testTokens(KEYRING).sign({ id: crypto.randomUUID(), role: 'admin', email: 'admin@example.test' });
    admin = { authorization: `Bearer ${token}` };
    const catalog = start('services/catalog/src/server.ts', { PORT: String(port), DATABASE_URL: db.url as string });
    await waitFor(`catalog to be ready (output: ${catalog.output()})`, async () => (await fetch(`${catalogUrl}/ready`).catch(() => undefined))?.ok, 60_000);
  });

  afterAll(async () => {
    await Promise.all(running.map((p) => kill(p)));
    await db?.close();
  });

  it('when catalog creates and publishes a product, then the consumer process receives both events, once and in order', async () => {
    const listener = await startListener();
    const productId = await createProduct();
    const publish = await fetch(`${catalogUrl}/v1/products/${productId}/publish`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json', 'if-match': '"1"' },
      body: '{}',
    });
    expect(publish.status).toBe(200);

    const rows = await waitFor('both events in the other process', async () => {
      const mine = (await received()).filter((r) => r.product_id === productId);
      return mine.length >= 2 && mine;
    });
    expect(rows.map((r) => [r.type, r.version])).toEqual([
      ['catalog.product.created', 1],
      ['catalog.product.published', 2],
    ]);
    expect(rows.every((r) => r.pid === listener.child.pid)).toBe(true);
    const ids = await db.knex('catalog.outbox').where({ subject: productId }).orderBy('position').pluck('id');
    expect(rows.map((r) => r.event_id)).toEqual(ids);
  });

  it('when a second consumer process joins the group, then each event is handled by exactly one process and both do work', async () => {
    await startListener();
    const created: string[] = [];
    for (let wave = 0; wave < 20; wave++) {
      for (let i = 0; i < 4; i++) created.push(await createProduct());
      await waitFor('the wave', async () => {
        const ids = new Set((await received()).filter((r) => r.type === 'catalog.product.created').map((r) => r.product_id));
        return created.every((id) => ids.has(id));
      });
      const pids = new Set((await received()).filter((r) => created.includes(r.product_id)).map((r) => r.pid));
      if (pids.size === 2) break;
    }
    const rows = (await received()).filter((r) => created.includes(r.product_id));
    expect(rows).toHaveLength(created.length);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(created.length);
    expect(new Set(rows.map((r) => r.pid)).size).toBe(2);
  });

  it('when every consumer process is killed and one starts again, then it receives what was published meanwhile and nothing twice', async () => {
    const before = await received();
    for (const proc of running.slice(1)) await kill(proc);
    const meanwhile = [await createProduct(), await createProduct(), await createProduct()];
    await waitFor('the events to reach the log', async () => (await db.knex('fusion_events.log').whereIn('subject', meanwhile).count({ n: '*' }))[0]?.n === 3);

    const restarted = await startListener();
    const rows = await waitFor('the three new products', async () => {
      const fresh = (await received()).filter((r) => meanwhile.includes(r.product_id));
      return fresh.length >= 3 && fresh;
    });
    expect(rows.map((r) => r.product_id).sort()).toEqual([...meanwhile].sort());
    expect(rows.every((r) => r.pid === restarted.child.pid)).toBe(true);
    const all = await received();
    expect(new Set(all.map((r) => r.event_id)).size).toBe(all.length);
    expect(all.filter((r) => r.pid === restarted.child.pid)).toHaveLength(3);
    expect(all.length).toBe(before.length + 3);
  });
});
