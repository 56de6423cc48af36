/**
 * The process's database: Knex on `pg` when DATABASE_URL is set, on PGlite
 * (embedded PostgreSQL) otherwise — on disk under the data directory, or in
 * memory for tests. Business code sees only Knex and never knows which.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import knexFactory, { type Knex } from 'knex';
import ClientPGLite from 'knex-pglite';
import pg from 'pg';

// int8 (COUNT(*), bigint ids and money sums) as numbers: every value we store fits
// in 2^53, and numbers keep JSON and arithmetic honest across both drivers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number.parseInt(value, 10));

export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseOptions {
  /** postgres://… — a real server. Wins over everything else. */
  url?: string;
  /** Embedded data directory; PGlite files live in `<dataDir>/pglite`. */
  dataDir?: string;
  /** Embedded and in memory (tests). */
  inMemory?: boolean;
  /** Pool size on a real server. */
  poolMax?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
  /** Statements run once on every new connection (e.g. `create schema if not exists`). */
  initSql?: string[];
}

export interface Database {
  readonly knex: Knex;
  readonly kind: DatabaseKind;
  /** Where the data lives, for start-up logs (password redacted). */
  readonly location: string;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `<repo>/.data`, wherever the process was started from and whether it runs
 * the sources (packages/platform/src/db) or the build (…/dist/src/db): the
 * nearest directory above this file whose package.json declares workspaces.
 */
export const defaultDataDir = join(repositoryRoot(dirname(fileURLToPath(import.meta.url))), '.data');

function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      if ('workspaces' in (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as object)) return dir;
    } catch {
      // no package.json here, or not ours: keep looking
    }
    if (dirname(dir) === dir) return resolve(from, '../../../..'); // installed outside a checkout
  }
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

interface RawQueryable {
  query(sql: string): Promise<unknown>;
}

/**
 * knex-pglite names a statement's command after the Knex method, so `del()`
 * and `increment()` became "DEL" and "COUNTER", which Knex's PostgreSQL
 * dialect does not know: they answered with the driver's result object
 * instead of the number of rows, as on a server.
 */
const COMMAND_OF_METHOD: Record<string, string> = { del: 'delete', counter: 'update' };

/** knex-pglite with start-up statements (its fixed one-connection pool cannot take them as a hook) and row counts as on a server. */
function embeddedClient(initSql: string[]): typeof Knex.Client {
  const Base = ClientPGLite as unknown as new (config: Knex.Config) => {
    _acquireOnlyConnection(): Promise<RawQueryable>;
    processResponse(obj: { method?: string }, runner: unknown): unknown;
  };
  class EmbeddedClient extends Base {
    override processResponse(obj: { method?: string }, runner: unknown): unknown {
      const command = obj.method === undefined ? undefined : COMMAND_OF_METHOD[obj.method];
      return super.processResponse(command ? { ...obj, method: command } : obj, runner);
    }

    private initialised = false;
    override async _acquireOnlyConnection(): Promise<RawQueryable> {
      const connection = await super._acquireOnlyConnection();
      if (!this.initialised) {
        for (const sql of initSql) await connection.query(sql);
        this.initialised = true;
      }
      return connection;
    }
  }
  return EmbeddedClient as unknown as typeof Knex.Client;
}

export function knexConfigFor(options: DatabaseOptions): Knex.Config & { kind: DatabaseKind; location: string } {
  const initSql = options.initSql ?? [];
  if (options.url) {
    return {
      kind: 'postgres',
      location: redactUrl(options.url),
      client: 'pg',
      connection: { connectionString: options.url, application_name: options.applicationName ?? 'fusioncommerce' },
      pool: {
        min: 0,
        max: options.poolMax ?? 10,
        afterCreate: (connection: pg.Client, done: (error: Error | null, connection: pg.Client) => void) => {
          initSql
            .reduce<Promise<unknown>>((previous, sql) => previous.then(() => connection.query(sql)), Promise.resolve())
            .then(() => done(null, connection), (error: Error) => done(error, connection));
        },
      },
      acquireConnectionTimeout: 10_000,
    };
  }
  let pglite: PGlite;
  let location: string;
  if (options.inMemory) {
    pglite = new PGlite();
    location = 'PGlite in memory';
  } else {
    const dir = join(options.dataDir ?? defaultDataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    pglite = new PGlite(dir);
    location = `PGlite at ${dir}`;
  }
  return {
    kind: 'pglite',
    location,
    // PGlite is one connection: knex-pglite pins the pool to it, so transactions
    // are serialised and never interleave.
    client: embeddedClient(initSql),
    connection: { pglite } as unknown as Knex.StaticConnectionConfig,
    acquireConnectionTimeout: 30_000,
  };
}

export function openDatabase(options: DatabaseOptions): Database {
  const { kind, location, ...config } = knexConfigFor(options);
  const knex = knexFactory(config);
  return {
    knex,
    kind,
    location,
    async ping() {
      await knex.raw('select 1');
    },
    async close() {
      await knex.destroy();
    },
  };
}
