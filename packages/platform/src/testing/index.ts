/**
 * Test helpers shared by every service's suite: databases on both backends
 * (PGlite in memory, and a fresh database on the real PostgreSQL server that
 * is dropped afterwards), apps built the way production builds them, tokens.
 */
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import type { FastifyInstance } from 'fastify';
import { createTokenService, parseKeyring, type Role, type TokenService } from '../auth/tokens.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { createApp } from '../http/create-app.ts';
import { migrateServices, mountService, type ServiceDefinition } from '../service.ts';
import { eventAdminRoutes } from '../events/admin-routes.ts';
import { eventRuntimeFor, type EventRuntime } from '../events/event-runtime.ts';
import type { EventsConfig } from '../events/events-config.ts';

export type Backend = 'pglite' | 'postgres';

/** Both backends; the real server is the one on this machine unless TEST_POSTGRES_URL says otherwise. */
export const BACKENDS: Backend[] = ['pglite', 'postgres'];

export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase extends Database {
  /** The URL of the throw-away database (postgres backend only). */
  url?: string;
}

/** A database for one test file: in memory, or created on the server and dropped on close. */
export async function createTestDatabase(backend: Backend, options: { poolMax?: number } = {}): Promise<TestDatabase> {
  if (backend === 'pglite') return openDatabase({ inMemory: true });
  const name = `fusion_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: TEST_POSTGRES_URL, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`create database ${name}`);
  } finally {
    await admin.destroy();
  }
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const db = openDatabase({ url: url.toString(), poolMax: options.poolMax ?? 20 });
  return {
    ...db,
    url: url.toString(),
    async close() {
      await db.close();
      const dropper = knexFactory({ client: 'pg', connection: TEST_POSTGRES_URL, pool: { min: 0, max: 1 } });
      try {
        await dropper.raw(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.destroy();
      }
    },
  };
}

const TEST_KEYRING = 'test-current:test-signing-key-0123456789abcdef0123456789,test-previous:previous-signing-key-0123456789abcdef01234';

export function testTokens(spec = TEST_KEYRING): TokenService {
  return createTokenService(parseKeyring(spec));
}

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  tokens: TokenService;
  /** A bearer header for a user with this role (a fresh random id unless given). */
  as(role: Role, id?: string): Promise<{ authorization: string }>;
  /** With `events`: the services' relays and consumers, in process, started. */
  events?: EventRuntime;
  close(): Promise<void>;
}

/** Migrates the services into `db` and mounts them on an app built by the platform's factory. */
export async function buildTestApp(
  services: ServiceDefinition[],
  db: Database,
  options: {
    tokens?: TokenService;
    /**
     * Run the services' events as the embedded gateway does (in process, or
     * as configured): `t.events.settle()` then waits until every event,
     * and every event its handlers record, has been delivered.
     */
    events?: boolean | EventsConfig;
  } = {},
): Promise<TestApp> {
  const tokens = options.tokens ?? testTokens();
  await migrateServices(db, services);
  const app = await createApp({ service: 'test', logger: false, tokens });
  app.readiness.add('database', () => db.ping());
  for (const service of services) await mountService(app, service, db);
  let events: EventRuntime | undefined;
  if (options.events) {
    const runtime = eventRuntimeFor(services, {
      config: options.events === true ? {} : options.events,
      mode: 'embedded',
      knex: db.knex,
      databaseKind: db.kind,
      log: app.log,
      registry: app.metrics,
      processName: 'test',
    });
    await app.register(eventAdminRoutes, { events: runtime });
    app.readiness.add('events', () => runtime.check());
    app.addHook('onClose', async () => runtime.stop());
    events = runtime;
  }
  await app.ready();
  await events?.start();
  app.readiness.markStarted();
  return {
    app,
    db,
    tokens,
    events,
    async as(role, id) {
      const token = await tokens.sign({ id: id ?? crypto.randomUUID(), role, email: `${role}-${randomBytes(3).toString('hex')}@example.test` });
      return { authorization: `Bearer ${token}` };
    },
    async close() {
      await app.close();
    },
  };
}

/** Runs `npx knex <command>` in a service directory against `databaseUrl`, as an operator would; resolves to its output. */
export async function knexCli(serviceDir: string, databaseUrl: string, command: string): Promise<string> {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const { stdout } = await promisify(execFile)('npx', ['knex', command], {
    cwd: serviceDir,
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_OPTIONS: '--conditions=fusion-source --import=tsx' },
  });
  return stdout;
}
