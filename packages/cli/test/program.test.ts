/** The command line itself: listing services, checking generated files, usage errors, progress output, admin sign-in errors. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AdminAuthError, adminAuthFromEnv, obtainAdminToken } from '../src/admin-token.ts';
import { createProgress } from '../src/progress.ts';
import { SERVICES, activeServices, findService, schemaOf } from '../src/services.ts';
import { cli } from './support/platform.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function capture(isTTY: boolean): { stream: NodeJS.WritableStream; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  }) as Writable & { isTTY?: boolean; columns?: number };
  stream.isTTY = isTTY;
  stream.columns = 120;
  return { stream, text: () => text };
}

describe('fusion services and generate', () => {
  it('lists the deployable services, by name for scripts and as JSON with images', async () => {
    const names = await cli(['services', '--format', 'names']);
    expect(names.stdout.trim().split('\n')).toEqual(activeServices().map((s) => s.name));
    const all = await cli(['services', '--all']);
    expect(all.stdout).toMatch(/shipping\s+3005\s+services\/shipping\s+fusioncommerce\/shipping\s*$/m);
    expect(all.stdout).toMatch(/group-commerce\s+3003\s+services\/group-commerce\s+fusioncommerce\/group-commerce\s*$/m);
    // Backups name schemas: a hyphenated service keeps its tables under an underscore.
    expect(schemaOf(findService('group-commerce'))).toBe('group_commerce');
    expect(schemaOf(findService('catalog'))).toBe('catalog');
    expect(schemaOf(findService('gateway'))).toBeUndefined();
    // Every service of ARCHITECTURE §2 ships now, and outbound webhooks (§7): eight services and the gateway.
    expect(activeServices().map((s) => s.name).sort()).toEqual(['catalog', 'customers', 'gateway', 'group-commerce', 'inventory', 'orders', 'payments', 'shipping', 'webhooks']);
    expect(all.stdout).toMatch(/webhooks\s+3007\s+services\/webhooks\s+fusioncommerce\/webhooks\s*$/m);
    expect(all.stdout).toMatch(/orders\s+3001\s+services\/orders\s+fusioncommerce\/orders\s*$/m);
    const json = JSON.parse((await cli(['services', '--format', 'json', '--all'])).stdout) as { name: string; image: string; workload: string }[];
    expect(json).toHaveLength(SERVICES.length);
    expect(json.find((s) => s.name === 'catalog')).toMatchObject({ image: 'fusioncommerce/catalog', workload: 'catalog-service' });
  });

  it('checks that the generated files are current, and says which are not', async () => {
    const current = await cli(['generate', '--check'], {}, { root });
    expect(current.code).toBe(0);
    expect(current.stdout).toMatch(/\d+ generated files are up to date/);
    const elsewhere = await cli(['generate', '--check'], {}, { root: '/nonexistent-checkout' });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stdout).toContain('stale (run `npx fusion generate`)');
    expect(elsewhere.stdout).toContain('services/catalog/Dockerfile');
  });

  it('writes every generated file into a checkout, and a second run changes nothing', async () => {
    const checkout = mkdtempSync(join(tmpdir(), 'fusion-generate-'));
    try {
      const first = await cli(['generate'], {}, { root: checkout });
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('wrote deploy/k8s/overlays/production/kustomization.yaml');
      expect(existsSync(join(checkout, 'services/catalog/Dockerfile'))).toBe(true);
      const second = await cli(['generate'], {}, { root: checkout });
      expect(second.stdout).toMatch(/^0 written, \d+ unchanged$/m);
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });

  it('answers --help and rejects unknown commands and bad values as usage errors', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['migrate', 'seed', 'demo', 'smoke', 'verify', 'backup', 'restore', 'generate', 'services']) expect(help.stdout).toContain(command);
    expect((await cli(['deploy'])).code).toBe(2);
    expect((await cli(['migrate', 'sideways'])).code).toBe(2);
    const badWait = await cli(['smoke', 'http://x', '--wait', 'soon']);
    expect(badWait.code).toBe(2);
    expect(badWait.stderr).toContain('--wait must be a non-negative number');
    expect((await cli(['verify', '--prometheus', 'http://p', '--deployed-at', 'yesterday'])).stderr).toContain('--deployed-at is not a time');
  });

  it('runs as the fusion executable through npm, from any directory', () => {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const run = spawnSync('npx', ['fusion', 'services', '--format', 'names'], { cwd: root, env, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')).toContain('catalog');
  });
});

describe('progress', () => {
  it('draws a live bar on a terminal and a few lines elsewhere', () => {
    const tty = capture(true);
    const bar = createProgress({ stream: tty.stream });
    bar.start(4, 'restore');
    bar.update(2, 'half');
    bar.tick();
    bar.tick();
    bar.tick();
    bar.stop();
    expect(tty.text()).toContain('restore');
    expect(tty.text()).toMatch(/5\/5/);

    const log = capture(false);
    const lines = createProgress({ stream: log.stream });
    lines.start(8, 'seed');
    for (let i = 1; i <= 8; i++) lines.update(i);
    lines.tick();
    lines.stop();
    expect(log.text().trim().split('\n')).toEqual(['seed: 0/8', 'seed: 2/8', 'seed: 4/8', 'seed: 6/8', 'seed: 9/9 done']);

    const quiet = capture(false);
    const silent = createProgress({ stream: quiet.stream, mode: 'silent' });
    silent.start(1, 'x');
    silent.update(1);
    silent.tick();
    silent.stop();
    expect(quiet.text()).toBe('');
  });
});

describe('admin tokens', () => {
  it('reads credentials from the environment and refuses half of a pair, a broken keyring or a non-admin account', async () => {
    expect(adminAuthFromEnv({ FUSION_TOKEN: 't', AUTH_SIGNING_KEYS: 'k' })).toEqual({ token: 't', email: undefined, password: undefined, signingKeys: 'k' });
    await expect(obtainAdminToken('http://x', { email: 'a@b.c' })).rejects.toThrow(AdminAuthError);
    await expect(obtainAdminToken('http://x', { signingKeys: 'short:key' })).rejects.toThrow(/keyring is not usable/);
    const dev = await obtainAdminToken('http://x', { signingKeys: 'dev' });
    expect(dev.source).toContain('signed with key "dev"');
    const customer = (async () =>
      new Response(JSON.stringify({ accessToken: 'jwt', customer: { role: 'customer' } }), { headers: { 'content-type': 'application/json' } })) as unknown as typeof fetch;
    await expect(obtainAdminToken('http://x', { email: 'a@b.c', password: 'pw' }, customer)).rejects.toThrow('a@b.c is not an admin (role customer)');
    const refused = (async () =>
      new Response(JSON.stringify({ code: 'AUTH.INVALID_CREDENTIALS', detail: 'wrong email or password' }), { status: 401, headers: { 'content-type': 'application/problem+json' } })) as unknown as typeof fetch;
    await expect(obtainAdminToken('http://x', { email: 'a@b.c', password: 'pw' }, refused)).rejects.toThrow(
      'signing in as a@b.c failed: POST /v1/auth/login → 401 AUTH.INVALID_CREDENTIALS: wrong email or password',
    );
  });
});
