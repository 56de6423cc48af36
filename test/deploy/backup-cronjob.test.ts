/**
 * The backup CronJob's script (deploy/k8s/base/common/backup.sh), run as the
 * CronJob runs it: every database dumped and gzipped, dumps older than 30
 * days deleted, younger ones kept, and what it writes restores with
 * `fusion restore`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { cli } from '../../packages/cli/test/support/platform.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = join(root, 'deploy/k8s/base/common/backup.sh');
const dir = mkdtempSync(join(tmpdir(), 'fusion-cron-backups-'));
let source: TestDatabase;
let target: TestDatabase;

beforeAll(async () => {
  source = await createTestDatabase('postgres');
  target = await createTestDatabase('postgres');
  await source.knex.raw('create schema shop');
  await source.knex.raw("create table shop.orders (id int primary key, total int not null); insert into shop.orders values (1, 1999), (2, 4500)");
});

afterAll(async () => {
  await source?.close();
  await target?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('backup CronJob script', () => {
  it('when it runs, then each database is dumped and gzipped, and only dumps older than the retention are deleted', () => {
    const old = join(dir, 'shop_20250101_000000.sql.gz');
    const recent = join(dir, 'shop_20261101_000000.sql.gz');
    writeFileSync(old, '');
    writeFileSync(recent, '');
    execFileSync('touch', ['-d', '31 days ago', old]);
    execFileSync('touch', ['-d', '29 days ago', recent]);

    const output = execFileSync('sh', [script], {
      env: { PATH: process.env.PATH ?? '', BACKUP_DIR: dir, RETENTION_DAYS: '30', BACKUP_DATABASE_URLS: `${source.url} ${target.url}` },
      encoding: 'utf8',
    });
    const dumps = readdirSync(dir).filter((f) => /^fusion_test_\w+_\d{8}_\d{6}\.sql\.gz$/.test(f));
    expect(dumps).toHaveLength(2);
    expect(output).toMatch(/backed up fusion_test_\w+ to .*\.sql\.gz \(\d+ bytes\)/);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(readdirSync(dir).some((f) => f.endsWith('.partial') || f.endsWith('.partial.gz'))).toBe(false);
  });

  it('when the settings are missing, then it stops and names the secret to set', () => {
    expect(() => execFileSync('sh', [script], { env: { PATH: process.env.PATH ?? '', BACKUP_DIR: dir }, stdio: 'pipe' })).toThrow(/BACKUP_DATABASE_URLS/);
  });

  it('when its dump is restored with fusion restore, then the data is back', async () => {
    const sourceName = new URL(source.url as string).pathname.slice(1);
    const dump = readdirSync(dir).find((f) => f.startsWith(`${sourceName}_`)) as string;
    const { code, stdout, stderr } = await cli(['restore', join(dir, dump), '--database-url', target.url as string, '--yes']);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('restored schemas shop');
    const check = knexFactory({ client: 'pg', connection: target.url, pool: { min: 0, max: 1 } });
    try {
      expect(await check('shop.orders').orderBy('id')).toEqual([
        { id: 1, total: 1999 },
        { id: 2, total: 4500 },
      ]);
    } finally {
      await check.destroy();
    }
  });
});
