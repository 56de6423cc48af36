/**
 * What each service's `knexfile.ts` exports, so `npx knex migrate:latest`,
 * `migrate:status` and `migrate:rollback` work from the service directory
 * against DATABASE_URL, or against the embedded data directory without it.
 */
import type { Knex } from 'knex';
import { CommonConfigSchema, loadConfig } from '../config/load-config.ts';
import { knexConfigFor } from './database.ts';
import { migratorConfig, type ServiceMigrations } from './migrations.ts';

export function knexfileFor(migrations: ServiceMigrations, env: Record<string, string | undefined> = process.env): Knex.Config {
  const config = loadConfig(CommonConfigSchema, env);
  const { kind: _kind, location: _location, ...knexConfig } = knexConfigFor({
    url: config.DATABASE_URL,
    dataDir: config.FUSION_DATA_DIR,
    applicationName: `fusioncommerce-${migrations.schema}-migrations`,
    // knex's migrator keeps its own table in the schema, so the schema must exist first.
    initSql: [`create schema if not exists "${migrations.schema}"`],
  });
  return { ...knexConfig, migrations: migratorConfig(migrations) };
}
