/**
 * Per-service migrations: each service owns a PostgreSQL schema and a
 * `migrations/` folder of TypeScript (or built JavaScript) files exporting
 * `up` and `down`. The same source serves the app at start-up, the tests and
 * the `npx knex migrate:*` commands run from the service directory.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

export interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
  config?: { transaction?: boolean };
}

export interface ServiceMigrations {
  /** The service's schema, e.g. `catalog`. */
  schema: string;
  /** Absolute path of the service's `migrations/` folder. */
  directory: string;
}

const MIGRATION_FILE = /^\d{8}_\d{3}_[a-z0-9-]+\.(ts|js)$/;

/** A migration file, shaped like knex's own so its CLI can print it. */
interface MigrationFile {
  file: string;
  directory: string;
}

/** Lists `migrations/*.ts` (sources) or `*.js` (built), never both, in name order. */
class FolderMigrationSource implements Knex.MigrationSource<MigrationFile> {
  constructor(private readonly directory: string) {}

  getMigrations(): Promise<MigrationFile[]> {
    const files = readdirSync(this.directory).filter((f) => MIGRATION_FILE.test(f) && !f.endsWith('.d.ts'));
    const hasTs = files.some((f) => f.endsWith('.ts'));
    return Promise.resolve(
      files
        .filter((f) => f.endsWith(hasTs ? '.ts' : '.js'))
        .sort()
        .map((file) => ({ file, directory: this.directory })),
    );
  }

  getMigrationName(migration: MigrationFile): string {
    // Recorded without the extension, so a built image sees the same history.
    return migration.file.replace(/\.(ts|js)$/, '');
  }

  async getMigration(migration: MigrationFile): Promise<Knex.Migration> {
    return (await import(pathToFileURL(join(migration.directory, migration.file)).href)) as MigrationModule;
  }
}

export function migratorConfig(migrations: ServiceMigrations): Knex.MigratorConfig {
  return {
    migrationSource: new FolderMigrationSource(migrations.directory),
    schemaName: migrations.schema,
    tableName: 'knex_migrations',
  };
}

export async function ensureSchema(knex: Knex, schema: string): Promise<void> {
  await knex.raw('create schema if not exists ??', [schema]);
}

/**
 * True when the history table lists exactly the migrations in the folder: one
 * query instead of knex's lock-and-compare round trips, so a restart of an
 * up-to-date service (the usual case) is quick. Anything else — a missing
 * table, a pending file, a recorded migration the folder lacks — is for knex
 * to handle and report.
 */
export async function migrationsUpToDate(knex: Knex, migrations: ServiceMigrations): Promise<boolean> {
  const source = new FolderMigrationSource(migrations.directory);
  const files = (await source.getMigrations()).map((m) => source.getMigrationName(m));
  let recorded: string[];
  try {
    recorded = (await knex(`${migrations.schema}.knex_migrations`).pluck('name')) as string[];
  } catch {
    return false;
  }
  const done = new Set(recorded);
  return recorded.length === files.length && files.every((f) => done.has(f));
}

export async function migrateLatest(knex: Knex, migrations: ServiceMigrations): Promise<string[]> {
  if (await migrationsUpToDate(knex, migrations)) return [];
  await ensureSchema(knex, migrations.schema);
  const [, applied] = (await knex.migrate.latest(migratorConfig(migrations))) as [number, string[]];
  return applied;
}

export async function migrateRollback(knex: Knex, migrations: ServiceMigrations, all = false): Promise<string[]> {
  await ensureSchema(knex, migrations.schema);
  const [, undone] = (await knex.migrate.rollback(migratorConfig(migrations), all)) as [number, string[]];
  return undone;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

export async function migrationStatus(knex: Knex, migrations: ServiceMigrations): Promise<MigrationStatus> {
  const [completed, pending] = (await knex.migrate.list(migratorConfig(migrations))) as [{ name: string }[], MigrationFile[]];
  return { applied: completed.map((m) => m.name), pending: pending.map((m) => m.file.replace(/\.(ts|js)$/, '')) };
}
