/**
 * Per-service migrations: an up-to-date service restarts without knex's
 * lock-and-compare round trips, and anything else still goes through knex.
 */
import { mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest, migrateRollback, migrationStatus, migrationsUpToDate, type ServiceMigrations } from '../src/db/migrations.ts';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../src/testing/index.ts';

const migration = (table: string) => `
export async function up(knex) { await knex.schema.withSchema('shelf').createTable('${table}', (t) => { t.increments('id'); }); }
export async function down(knex) { await knex.schema.withSchema('shelf').dropTable('${table}'); }
`;

describe.each(BACKENDS)('service migrations on %s', (backend) => {
  let db: TestDatabase;
  let dir: string;
  let migrations: ServiceMigrations;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    dir = mkdtempSync(join(tmpdir(), 'fusion-migrations-'));
    migrations = { schema: 'shelf', directory: dir };
    writeFileSync(join(dir, '20260101_001_books.js'), migration('books'));
    writeFileSync(join(dir, '20260101_002_authors.js'), migration('authors'));
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a service has never run, then it is not up to date and migrating applies everything, in order', async () => {
    expect(await migrationsUpToDate(db.knex, migrations)).toBe(false);
    expect(await migrateLatest(db.knex, migrations)).toEqual(['20260101_001_books', '20260101_002_authors']);
    expect(await migrationsUpToDate(db.knex, migrations)).toBe(true);
  });

  it('when it is up to date, then migrating again does nothing and takes no lock', async () => {
    await db.knex('shelf.knex_migrations_lock').update({ is_locked: 1 });
    try {
      // Through knex this would wait for the lock; the up-to-date check answers at once.
      expect(await migrateLatest(db.knex, migrations)).toEqual([]);
    } finally {
      await db.knex('shelf.knex_migrations_lock').update({ is_locked: 0 });
    }
  });

  it('when a new migration file arrives, then only it is applied', async () => {
    writeFileSync(join(dir, '20260101_003_shelves.js'), migration('shelves'));
    expect(await migrationsUpToDate(db.knex, migrations)).toBe(false);
    expect(await migrateLatest(db.knex, migrations)).toEqual(['20260101_003_shelves']);
    expect((await migrationStatus(db.knex, migrations)).pending).toEqual([]);
  });

  it('when the folder lacks a migration the database recorded, then knex refuses, as before', async () => {
    unlinkSync(join(dir, '20260101_003_shelves.js'));
    expect(await migrationsUpToDate(db.knex, migrations)).toBe(false);
    await expect(migrateLatest(db.knex, migrations)).rejects.toThrow(/corrupt/i);
    writeFileSync(join(dir, '20260101_003_shelves.js'), migration('shelves'));
    expect(await migrateRollback(db.knex, migrations, true)).toHaveLength(3);
    expect(await migrationsUpToDate(db.knex, migrations)).toBe(false);
  });
});
