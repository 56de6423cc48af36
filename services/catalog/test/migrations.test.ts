import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest, migrateRollback, migrationStatus } from '@fusioncommerce/platform';
import { BACKENDS, createTestDatabase, type TestDatabase, knexCli } from '@fusioncommerce/platform/testing';
import { catalogMigrations } from '../src/migrations.ts';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));

const tables = async (db: TestDatabase) =>
  (await db.knex('information_schema.tables').where({ table_schema: 'catalog' }).pluck('table_name')).sort();

describe.each(BACKENDS)('catalog migrations on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
  });
  afterAll(async () => db.close());

  it('when migrated up, down and up again, then the schema is whole each time and the history agrees', async () => {
    expect((await migrationStatus(db.knex, catalogMigrations).catch(() => ({ pending: ['all'] }))).pending.length).toBeGreaterThan(0);
    const applied = await migrateLatest(db.knex, catalogMigrations);
    expect(applied.length).toBeGreaterThan(0);
    expect(await tables(db)).toEqual(expect.arrayContaining(['categories', 'products', 'product_categories', 'variants']));
    expect((await migrationStatus(db.knex, catalogMigrations)).pending).toEqual([]);

    await migrateRollback(db.knex, catalogMigrations, true);
    expect(await tables(db)).toEqual(['knex_migrations', 'knex_migrations_lock']);
    expect((await migrationStatus(db.knex, catalogMigrations)).applied).toEqual([]);

    expect(await migrateLatest(db.knex, catalogMigrations)).toEqual(applied);
    await db.knex('catalog.categories').insert({ id: '01900000-0000-7000-8000-000000000001', name: 'Works', slug: 'works' });
    expect(await migrateLatest(db.knex, catalogMigrations)).toEqual([]);
  });
});

describe('npx knex in services/catalog (the deployment guide’s commands)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });
  afterAll(async () => db.close());

  const knex = (command: string) => knexCli(serviceDir, db.url as string, command);

  it('when an operator runs migrate:latest, migrate:status and migrate:rollback, then each does what it says', async () => {
    expect(await knex('migrate:status')).toMatch(/Pending Migration/);
    expect(await knex('migrate:latest')).toMatch(/Batch 1 run: \d+ migrations/);
    expect(await knex('migrate:status')).toMatch(/No Pending Migration files Found/);
    expect(await tables(db)).toContain('products');
    expect(await knex('migrate:rollback')).toMatch(/Batch 1 rolled back/);
    expect(await tables(db)).not.toContain('products');
  });
});
