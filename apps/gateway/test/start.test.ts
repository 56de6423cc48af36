import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { builtAtMs } from '../../../scripts/start.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'fusion-start-'));

function start(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let output = '';
  // What `npm start` runs: the build when it is up to date, the sources otherwise (FUSION_START forces one).
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', FUSION_DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForReady(url: string, deadlineMs = 60_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    const ok = await fetch(`${url}/ready`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} was not ready within ${deadlineMs} ms`);
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start (the embedded platform as a real process)', () => {
  const port = String(18_000 + Math.floor(Math.random() * 2000));
  const url = `http://127.0.0.1:${port}`;

  it('when started on a fresh data directory, then it serves the demo catalog, logs where to go, and stops cleanly on SIGTERM', async () => {
    const shop = start({ PORT: port });
    await waitForReady(url);
    const products = (await (await fetch(`${url}/v1/products`)).json()) as { data: unknown[] };
    expect(products.data.length).toBe(20);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect(shop.output()).toContain(`FusionCommerce is ready: storefront http://127.0.0.1:${port}/, admin http://127.0.0.1:${port}/admin, API http://127.0.0.1:${port}/v1/products`);
    const storefront = await fetch(`${url}/`);
    expect(storefront.headers.get('content-type')).toMatch(/^text\/html/);
    shop.child.kill('SIGTERM');
    expect(await shop.exited).toBe(0);
    expect(shop.output()).toContain('stopped cleanly');
  });

  it('when started again from the sources, then the data is kept and the demo catalog is not loaded again', async () => {
    const shop = start({ PORT: port, FUSION_START: 'source' });
    await waitForReady(url);
    expect(shop.output()).toContain('Starting from the TypeScript sources: FUSION_START=source');
    expect(shop.output()).toContain('"seeded":false');
    const products = (await (await fetch(`${url}/v1/products?limit=1`)).json()) as { data: unknown[] };
    expect(products.data).toHaveLength(1);
    shop.child.kill('SIGTERM');
    expect(await shop.exited).toBe(0);
  });

  it.skipIf(builtAtMs() === undefined)('when the platform is built, then it starts from the build and serves the same shop', async () => {
    const shop = start({ PORT: port, FUSION_START: 'build' });
    await waitForReady(url);
    expect(shop.output()).toContain('Starting from the build');
    expect(shop.output()).toContain('"seeded":false');
    const products = (await (await fetch(`${url}/v1/products?limit=3`)).json()) as { data: unknown[] };
    expect(products.data).toHaveLength(3);
    shop.child.kill('SIGTERM');
    expect(await shop.exited).toBe(0);
    expect(shop.output()).toContain('stopped cleanly');
  });

  it('when a setting is wrong, then it exits non-zero with one line naming the variable', async () => {
    const shop = start({ PORT: 'eighty' });
    expect(await shop.exited).toBe(1);
    const lines = shop.output().trim().split('\n').filter((l) => !l.includes('nodedir') && !l.startsWith('Starting from'));
    expect(lines).toEqual([expect.stringMatching(/^gateway: Invalid configuration: PORT .*"eighty"/)]);
  });
});
