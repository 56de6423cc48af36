/**
 * The migration checks every service owes its operators, in one place: its
 * migrations go up, down and up again on both backends with the history
 * agreeing, and `npx knex migrate:latest|status|rollback` works in the
 * service's directory against a real server, as the deployment guide runs it.
 * A service's own file adds the checks of the constraints that back its domain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest, migrateRollback, migrationStatus, type ServiceMigrations } from '@fusioncommerce/platform';
import { BACKENDS, createTestDatabase, knexCli, type TestDatabase } from '@fusioncommerce/platform/testing';

export interface MigrationSuiteOptions {
  /** The service's name, as its directory under services/ says it. */
  service: string;
  migrations: ServiceMigrations;
  /** The service's directory, where its knexfile is. */
  serviceDir: string;
  /** Tables the schema has once migrated. */
  tables: string[];
  /** More to check right after the first migration (seeded rows, say). */
  afterUp?: (db: TestDatabase) => Promise<void>;
}

export const tablesOf = async (db: TestDatabase, schema: string): Promise<string[]> =>
  (await db.knex('information_schema.tables').where({ table_schema: schema }).pluck('table_name')).sort();

export function migrationSuites(options: MigrationSuiteOptions): void {
  const { service, migrations, serviceDir } = options;
  const schema = migrations.schema;

  describe.each(BACKENDS)(`${service} migrations on %s`, (backend) => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(backend);
    });
    afterAll(async () => db.close());

    it('when migrated up, down and up again, then the schema is whole each time and the history agrees', async () => {
      expect((await migrationStatus(db.knex, migrations).catch(() => ({ pending: ['all'] }))).pending.length).toBeGreaterThan(0);
      const applied = await migrateLatest(db.knex, migrations);
      expect(applied.length).toBeGreaterThan(0);
      expect(await tablesOf(db, schema)).toEqual(expect.arrayContaining(options.tables));
      expect((await migrationStatus(db.knex, migrations)).pending).toEqual([]);
      await options.afterUp?.(db);

      await migrateRollback(db.knex, migrations, true);
      expect(await tablesOf(db, schema)).toEqual(['knex_migrations', 'knex_migrations_lock']);
      expect((await migrationStatus(db.knex, migrations)).applied).toEqual([]);

      expect(await migrateLatest(db.knex, migrations)).toEqual(applied);
      expect(await migrateLatest(db.knex, migrations)).toEqual([]);
    });
  });

  describe(`npx knex in services/${service} (the deployment guide’s commands)`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase('postgres');
    });
    afterAll(async () => db.close());

    const knex = (command: string) => knexCli(serviceDir, db.url as string, command);
    const marker = options.tables.find((t) => !['inbox', 'outbox', 'dead_letters'].includes(t)) ?? options.tables[0] ?? '';

    it('when an operator runs migrate:latest, migrate:status and migrate:rollback, then each does what it says', async () => {
      expect(await knex('migrate:status')).toMatch(/Pending Migration/);
      expect(await knex('migrate:latest')).toMatch(/Batch 1 run: \d+ migrations/);
      expect(await knex('migrate:status')).toMatch(/No Pending Migration files Found/);
      expect(await tablesOf(db, schema)).toContain(marker);
      expect(await knex('migrate:rollback')).toMatch(/Batch 1 rolled back/);
      expect(await tablesOf(db, schema)).not.toContain(marker);
    }, 180_000);
  });
}
