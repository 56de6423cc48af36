/**
 * How a service plugs into a process. A service is a Fastify plugin plus its
 * schema and migrations; the same definition runs alone on its own port
 * (distributed mode) or mounted with the others in the gateway (embedded mode).
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Knex } from 'knex';
import type { Database } from './db/database.ts';
import { migrateLatest, migrationStatus, type ServiceMigrations } from './db/migrations.ts';
import type { ConsumedEvent } from './events/consumer.ts';

export interface ServiceContext {
  /** The process's database; queries name their schema explicitly. */
  knex: Knex;
  /** Schema this service owns. */
  schema: string;
}

export interface ServiceDefinition {
  name: string;
  /** Default port when it runs alone (ARCHITECTURE §2). */
  port: number;
  migrations: ServiceMigrations;
  /** Registers the service's /v1 routes. */
  routes: FastifyPluginAsync<ServiceContext>;
  /** Title and one-line description for its OpenAPI document. */
  openapi: { title: string; description: string };
  /**
   * Events this service reacts to, one handler per type:
   * `consumes: [on(ProductPublished, async (event, { trx }) => { ... })]`.
   * Each runs once per event (the inbox, in this service's schema, sees to
   * that) in a transaction for its writes; the service's migrations must call
   * createEventTables. The process delivers them with the service's name as
   * consumer group.
   */
  consumes?: ConsumedEvent[];
}

/** Registers a service's routes on an app and its readiness checks. */
export async function mountService(app: FastifyInstance, service: ServiceDefinition, db: Database): Promise<void> {
  await app.register(service.routes, { knex: db.knex, schema: service.migrations.schema });
  let migrated = false;
  app.readiness.add(`migrations:${service.name}`, async () => {
    if (migrated) return;
    const { pending } = await migrationStatus(db.knex, service.migrations);
    if (pending.length > 0) throw new Error(`${pending.length} migration(s) not applied: ${pending.join(', ')}`);
    migrated = true;
  });
}

export async function migrateServices(db: Database, services: ServiceDefinition[]): Promise<Record<string, string[]>> {
  const applied: Record<string, string[]> = {};
  // One after another: migrations take locks and PGlite is one connection anyway.
  for (const service of services) {
    applied[service.name] = await migrateLatest(db.knex, service.migrations);
  }
  return applied;
}
