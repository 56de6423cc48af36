/**
 * `fusion migrate latest|status|rollback` and `fusion seed` across the
 * services present here (every one in a checkout, the image's own in an
 * image), each with its own migrations in its own schema.
 */
import { migrateLatest, migrateRollback, migrationStatus, migratorConfig, openDatabase, type Database, type ServiceMigrations } from '@fusioncommerce/platform';
import type { Knex } from 'knex';
import type { Progress } from './progress.ts';
import type { ServiceSpec } from './services.ts';
import { loadMigrations, loadServiceExport } from './workspace.ts';

export interface DatabaseTarget {
  /** postgres://…; without it, the embedded database in `dataDir` (as the services use it on a laptop). */
  url?: string;
  dataDir?: string;
}

export function openTarget(target: DatabaseTarget): Database {
  return openDatabase({ url: target.url, dataDir: target.dataDir, poolMax: 2, applicationName: 'fusioncommerce-cli' });
}

export type MigrateAction = 'latest' | 'status' | 'rollback';

export interface MigrationOutcome {
  service: string;
  schema: string;
  /** latest: applied now; rollback: undone now; status: applied so far. */
  done: string[];
  pending: string[];
}

export interface MigrateOptions {
  root: string;
  services: ServiceSpec[];
  db: Database;
  progress: Progress;
  /** rollback: every batch, not just the last. */
  all?: boolean;
}

export async function runMigrations(action: MigrateAction, options: MigrateOptions): Promise<MigrationOutcome[]> {
  const { db, progress } = options;
  // Rolling back goes in the reverse order of migrating.
  const services = action === 'rollback' ? [...options.services].reverse() : options.services;
  const outcomes: MigrationOutcome[] = [];
  progress.start(services.length, `migrate ${action}`);
  for (const [index, service] of services.entries()) {
    progress.update(index, service.name);
    const migrations = await loadMigrations(options.root, service);
    let done: string[] = [];
    if (action === 'latest') done = await migrateLatest(db.knex, migrations);
    else if (action === 'rollback') done = await migrateRollback(db.knex, migrations, options.all ?? false);
    const status = await statusOf(db, migrations);
    outcomes.push({ service: service.name, schema: migrations.schema, done: action === 'status' ? status.applied : done, pending: status.pending });
    progress.update(index + 1, service.name);
  }
  progress.stop();
  return outcomes;
}

/** Applied and pending migrations; a schema that does not exist yet has everything pending (and is not created by asking). */
async function statusOf(db: Database, migrations: ServiceMigrations): Promise<{ applied: string[]; pending: string[] }> {
  const exists = await db.knex('information_schema.schemata').where({ schema_name: migrations.schema }).first();
  if (exists) return migrationStatus(db.knex, migrations);
  const source = migratorConfig(migrations).migrationSource as Knex.MigrationSource<unknown>;
  const files = await source.getMigrations([]);
  return { applied: [], pending: files.map((f) => source.getMigrationName(f)) };
}

export function describeOutcome(action: MigrateAction, o: MigrationOutcome): string {
  const pending = o.pending.length > 0 ? `; pending: ${o.pending.join(', ')}` : '';
  if (action === 'latest') return `${o.service}: ${o.done.length > 0 ? `applied ${o.done.join(', ')}` : 'already up to date'}${pending}`;
  if (action === 'rollback') return `${o.service}: ${o.done.length > 0 ? `rolled back ${o.done.join(', ')}` : 'nothing to roll back'}${pending}`;
  return `${o.service} (schema ${o.schema}): ${o.done.length} applied${o.pending.length > 0 ? `, ${o.pending.length} pending: ${o.pending.join(', ')}` : ', none pending'}`;
}

type Seeder = (knex: Knex, options: { onProgress?: (done: number, total: number) => void }) => Promise<unknown>;

export interface SeedOutcome {
  service: string;
  label: string;
  seeded: boolean;
  detail: string;
}

/** Loads each service's demo data into an empty schema; a schema with data is left alone. */
export async function runSeeds(options: Omit<MigrateOptions, 'all'>): Promise<SeedOutcome[]> {
  const outcomes: SeedOutcome[] = [];
  for (const service of options.services) {
    if (!service.seed) continue;
    const { seed } = service;
    const migrations = await loadMigrations(options.root, service);
    const { pending } = await statusOf(options.db, migrations);
    if (pending.length > 0) throw new Error(`${service.name} has ${pending.length} pending migration(s); run \`fusion migrate latest\` first`);
    const [row] = (await options.db.knex(seed.table).count({ n: '*' })) as { n: number | string }[];
    const existing = Number(row?.n ?? 0);
    if (existing > 0) {
      outcomes.push({ service: service.name, label: seed.label, seeded: false, detail: `${seed.table} already has ${existing} row(s); left as is` });
      continue;
    }
    const seeder = await loadServiceExport<Seeder>(options.root, service, seed.module, seed.export);
    let started = false;
    await seeder(options.db.knex, {
      onProgress: (done, total) => {
        if (!started) {
          options.progress.start(total, `${service.name}: ${seed.label}`);
          started = true;
        }
        options.progress.update(done);
      },
    });
    if (started) options.progress.stop();
    const [after] = (await options.db.knex(seed.table).count({ n: '*' })) as { n: number | string }[];
    outcomes.push({ service: service.name, label: seed.label, seeded: true, detail: `${seed.table}: ${Number(after?.n ?? 0)} row(s)` });
  }
  return outcomes;
}
