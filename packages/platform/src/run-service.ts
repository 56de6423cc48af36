/**
 * The entry point of one service running alone (distributed mode):
 * `npm run dev` in a service directory, or the service's container.
 */
import { createTokenService, parseKeyring } from './auth/tokens.ts';
import { ConfigError, trustProxyOf } from './config/load-config.ts';
import { DEVELOPMENT_SIGNING_KEYS, loadProcessConfig, type ProcessConfig } from './config/process-config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { countQueries } from './db/query-metrics.ts';
import { eventAdminRoutes } from './events/admin-routes.ts';
import { eventRuntimeFor, type EventRuntime, type ProcessEventsOptions } from './events/event-runtime.ts';
import { loadEventsConfig, type EventsConfig } from './events/events-config.ts';
import { createApp } from './http/create-app.ts';
import { closeOnSignals, listen } from './http/run-server.ts';
import { migrateServices, mountService, type ServiceDefinition } from './service.ts';
import type { FastifyInstance } from 'fastify';

export interface BuiltProcess {
  app: FastifyInstance;
  db: Database;
  config: ProcessConfig;
  /** The relay of the service's outbox and its consumers; started, and stopped when the app closes. */
  events: EventRuntime;
}

export interface BuildProcessOptions {
  /** Event transport and tuning (EVENTS_*, KAFKA_*); without it, chosen from DATABASE_URL and KAFKA_BROKERS. */
  events?: EventsConfig;
}

export function tokenServiceFrom(config: ProcessConfig) {
  return createTokenService(parseKeyring(config.AUTH_SIGNING_KEYS ?? DEVELOPMENT_SIGNING_KEYS), config.ACCESS_TOKEN_TTL_SECONDS);
}

/**
 * The last steps of building a process, embedded or alone: the services'
 * relay and consumers with their admin routes and readiness check (stopped
 * before the database closes), then the app made ready, the events started
 * and start-up marked done.
 */
export async function startEvents(
  app: FastifyInstance,
  services: ServiceDefinition[],
  db: Database,
  config: ProcessConfig,
  options: { events?: EventsConfig; mode: ProcessEventsOptions['mode']; processName: string },
): Promise<EventRuntime> {
  const events = eventRuntimeFor(services, {
    config: options.events ?? { DATABASE_URL: config.DATABASE_URL, KAFKA_BROKERS: config.KAFKA_BROKERS },
    mode: options.mode,
    knex: db.knex,
    databaseKind: db.kind,
    databaseUrl: config.DATABASE_URL,
    log: app.log,
    registry: app.metrics,
    processName: options.processName,
  });
  await app.register(eventAdminRoutes, { events });
  app.readiness.add('events', () => events.check());
  // onClose hooks run last-added first: events stop before the database closes.
  app.addHook('onClose', async () => events.stop());
  await app.ready();
  await events.start();
  app.readiness.markStarted();
  return events;
}

/** Builds one service's app from validated config; migrates first unless told not to. */
export async function buildServiceProcess(service: ServiceDefinition, config: ProcessConfig, options: BuildProcessOptions = {}): Promise<BuiltProcess> {
  const db = openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.FUSION_DATA_DIR,
    poolMax: config.DATABASE_POOL_MAX,
    applicationName: `fusioncommerce-${service.name}`,
  });
  const migrate = config.MIGRATE_ON_START ?? (config.NODE_ENV !== 'production' && config.NODE_ENV !== 'staging');
  const app = await createApp({
    service: service.name,
    logLevel: config.LOG_LEVEL,
    trustProxy: trustProxyOf(config.TRUST_PROXY),
    bodyLimit: config.BODY_LIMIT_BYTES,
    tokens: tokenServiceFrom(config),
    commit: config.GIT_COMMIT,
    builtAt: config.BUILD_TIME,
    openapi: service.openapi,
  });
  app.addHook('onClose', async () => db.close());
  app.readiness.add('database', () => db.ping());
  countQueries(db.knex, app.metrics);
  try {
    if (migrate) await migrateServices(db, [service]);
    await mountService(app, service, db);
    const events = await startEvents(app, [service], db, config, { events: options.events, mode: 'standalone', processName: service.name });
    return { app, db, config, events };
  } catch (error) {
    // Nothing half-built stays open: the database pool, timers, listeners.
    await app.close().catch(() => undefined);
    throw error;
  }
}

export async function runService(service: ServiceDefinition, env: Record<string, string | undefined> = process.env): Promise<void> {
  let config: ProcessConfig;
  let events: EventsConfig;
  try {
    // Only the secrets of the service this process runs are required here.
    config = loadProcessConfig(env, undefined, [service.name]);
    events = loadEventsConfig(env, 'standalone');
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${service.name}: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  let built: BuiltProcess;
  try {
    built = await buildServiceProcess(service, config, { events });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${service.name}: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const { app, db } = built;
  const url = await listen(app, { host: config.HOST ?? '0.0.0.0', port: config.PORT ?? service.port, graceMs: config.SHUTDOWN_GRACE_MS ?? 10_000 });
  app.log.info({ url, database: db.location }, `${service.name} listening on ${url} (API docs at ${url}/docs)`);
  closeOnSignals(app, config.SHUTDOWN_GRACE_MS ?? 10_000);
}
