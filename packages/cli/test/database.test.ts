/**
 * `fusion migrate`, `seed`, `backup` and `restore` on a throw-away PostgreSQL
 * database: every service present migrates in its own schema, demo data
 * loads once, and a backup taken before a migration puts the database back
 * exactly — data, and no trace of what the migration added.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { backupFileName, pgConnection, schemasInDump } from '../src/backup.ts';
import { findRoot, presentServices } from '../src/workspace.ts';
import { cli } from './support/platform.ts';

let db: TestDatabase;
let url: string;
let knex: Knex;
const dir = mkdtempSync(join(tmpdir(), 'fusion-backups-'));
const present = presentServices(findRoot()).map((s) => s.name);

const count = async (table: string) => Number(((await knex(table).count({ n: '*' })) as { n: string }[])[0]?.n ?? 0);
const tableExists = async (name: string) => Boolean((await knex.raw<{ rows: { t: string | null }[] }>('select to_regclass(?)::text as t', [name])).rows[0]?.t);

beforeAll(async () => {
  db = await createTestDatabase('postgres');
  url = db.url as string;
  knex = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 2 } });
});

afterAll(async () => {
  await knex?.destroy();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('fusion migrate and seed across the services', () => {
  it('when the database is empty, then status --check lists every present service’s pending migrations and exits 1', async () => {
    expect(present).toContain('catalog');
    const { code, stdout } = await cli(['migrate', 'status', '--check', '--database-url', url]);
    expect(code).toBe(1);
    for (const service of present) expect(stdout).toMatch(new RegExp(`${service} \\(schema ${service.replace('-', '_')}\\): 0 applied, \\d+ pending`));
  });

  it('when migrated, then each service has applied its migrations in its own schema, and a second run changes nothing', async () => {
    const first = await cli(['migrate', 'latest', '--database-url', url]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/catalog: applied 20261121_001_create-catalog/);
    expect(first.stderr).toMatch(/migrate latest: \d+\/\d+ done/);
    const again = await cli(['migrate', 'latest', '--database-url', url, '--service', 'catalog']);
    expect(again.stdout).toContain('catalog: already up to date');
    // Run from a service's directory (as in its image), it means that service only.
    const here = await cli(['migrate', 'latest', '--database-url', url], {}, { cwd: join(findRoot(), 'services/catalog') });
    expect(here.stdout.trim().split('\n').slice(1)).toEqual(['  catalog: already up to date']);
    const status = await cli(['migrate', 'status', '--check', '--database-url', url]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/catalog \(schema catalog\): \d+ applied, none pending/);
  });

  it('when seeded, then the catalog gets the demo catalog once, with progress, and a second seed leaves it alone', async () => {
    const { code, stdout, stderr } = await cli(['seed', '--service', 'catalog'], { DATABASE_URL: url });
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/catalog: loaded the demo catalog \(catalog\.products: 240 row\(s\)\)/);
    expect(stderr).toMatch(/catalog: demo catalog: 240\/240 done/);
    const again = await cli(['seed'], { DATABASE_URL: url });
    expect(again.stdout).toMatch(/catalog: skipped \(catalog\.products already has 240 row\(s\); left as is\)/);
  });

  it('when rolling back, then a service must be named; when named, its last batch is undone', async () => {
    const refused = await cli(['migrate', 'rollback', '--database-url', url]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('rollback needs --service');
    const unknown = await cli(['migrate', 'latest', '--database-url', url, '--service', 'warehouse']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown service "warehouse"');
  });
});

describe('fusion backup and restore around a migration', () => {
  let file: string;

  it('when backed up, then every table is in a plain SQL file named as guide 004 names it', async () => {
    file = join(dir, 'before.sql');
    const { code, stdout, stderr } = await cli(['backup', '--database-url', url, '--out', file]);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/backed up \d+ table\(s\) of fusion_test_\w+: \d+ bytes →/);
    expect(stderr).toMatch(/backup 127\.0\.0\.1:5432\/fusion_test_\w+: \d+\/\d+ done/);
    expect(await schemasInDump(file)).toEqual(expect.arrayContaining(['catalog']));
    expect(backupFileName('shop', new Date('2026-11-22T10:11:12Z'))).toBe('pre_migration_shop_20261122_101112.sql');
  });

  it('when a migration goes wrong and the backup is restored, then data and schema are exactly as before, and nothing it added remains', async () => {
    // What a bad release does: rolls back (drops) the catalog, adds a table of its own, loses rows elsewhere.
    const rolledBack = await cli(['migrate', 'rollback', '--service', 'catalog', '--all', '--database-url', url]);
    expect(rolledBack.code, rolledBack.stderr).toBe(0);
    expect(await tableExists('catalog.products')).toBe(false);
    await knex.raw('create table catalog.added_by_bad_release (id int)');

    const refused = await cli(['restore', file, '--database-url', url]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('add --yes');

    const { code, stdout, stderr } = await cli(['restore', file, '--database-url', url, '--yes']);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/restored schemas .*catalog/);
    expect(await count('catalog.products')).toBe(240);
    expect(await tableExists('catalog.added_by_bad_release')).toBe(false);
    const status = await cli(['migrate', 'status', '--check', '--database-url', url]);
    expect(status.code, status.stdout).toBe(0);
  });

  it('when a restore fails part-way, then nothing changes (one transaction)', async () => {
    const broken = join(dir, 'broken.sql');
    const { writeFileSync, readFileSync } = await import('node:fs');
    writeFileSync(broken, `${readFileSync(file, 'utf8')}\nselect no_such_function();\n`);
    await knex('catalog.products').where('id', (await knex('catalog.products').first('id')).id).update({ title: 'Changed after the backup' });
    const { code, stderr } = await cli(['restore', broken, '--database-url', url, '--yes']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/nothing was changed/);
    expect(await knex('catalog.products').where({ title: 'Changed after the backup' }).first()).toBeDefined();
  });

  it('when migrating with --backup-dir, then a pre-migration backup is taken first and the way back is printed', async () => {
    const backups = join(dir, 'pre');
    const { code, stdout } = await cli(['migrate', 'latest', '--service', 'catalog', '--database-url', url, '--backup-dir', backups]);
    expect(code).toBe(0);
    const [taken] = readdirSync(backups);
    expect(taken).toMatch(new RegExp(`^pre_migration_${pgConnection(url).database}_\\d{8}_\\d{6}\\.sql$`));
    expect(stdout).toContain(`to undo this migration: fusion restore ${join(backups, taken as string)} --yes`);
    expect(existsSync(join(backups, taken as string))).toBe(true);
  });

  it('when the database URL is missing or pg_dump cannot be found, then it says so', async () => {
    expect((await cli(['backup'])).stderr).toContain('backup needs --database-url or DATABASE_URL');
    const missing = await cli(['backup', '--database-url', url, '--out', join(dir, 'x.sql'), '--pg-bin', '/nonexistent']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/could not start|ENOENT/);
  });
});
