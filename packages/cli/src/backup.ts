/**
 * `fusion backup` and `fusion restore`: plain-SQL dumps with pg_dump and
 * restores with psql, as guide 004 §7.3 and §10.3 run them, made safe to use
 * around migrations:
 *  - the dump drops what it recreates (`--clean --if-exists`) and carries no
 *    owners or grants, so it restores into another database or role too;
 *  - a restore first drops every schema the dump creates (CASCADE), so tables
 *    a failed migration added go as well, and runs in one transaction that
 *    stops at the first error: the database is either restored or untouched.
 * The password never goes on a command line (PGPASSWORD in the child's environment).
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { dirname, join } from 'node:path';
import type { Progress } from './progress.ts';

export interface PgConnection {
  /** The URL without its password, for --dbname. */
  url: string;
  env: Record<string, string>;
  database: string;
  display: string;
}

/** Splits a postgres:// URL into a password-free URL and a PGPASSWORD for the child process. */
export function pgConnection(databaseUrl: string): PgConnection {
  const url = new URL(databaseUrl);
  if (!/^postgres(ql)?:$/.test(url.protocol)) throw new Error(`not a PostgreSQL URL: ${url.protocol}//…`);
  const env: Record<string, string> = {};
  if (url.password) env.PGPASSWORD = decodeURIComponent(url.password);
  url.password = '';
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';
  return { url: url.toString(), env, database, display: `${url.hostname}:${url.port || 5432}/${database}` };
}

export interface PgTools {
  /** Directory of pg_dump and psql; from PATH when omitted. */
  binDir?: string;
}

function tool(name: 'pg_dump' | 'psql', tools: PgTools): string {
  return tools.binDir ? join(tools.binDir, name) : name;
}

interface Run {
  code: number | null;
  stderr: string;
}

function spawnTool(command: string, args: string[], env: Record<string, string>): ReturnType<typeof spawn> {
  return spawn(command, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

function finished(child: ReturnType<typeof spawn>, stderrLines: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    child.on('error', (error) => reject(new Error(`${child.spawnfile} could not start: ${error.message} (install the PostgreSQL client tools or pass --pg-bin)`)));
    child.on('close', (code) => resolve({ code, stderr: stderrLines.join('\n') }));
  });
}

async function psqlValue(connection: PgConnection, sql: string, tools: PgTools): Promise<string> {
  const child = spawnTool(tool('psql', tools), ['--no-psqlrc', '-X', '-tAq', '-v', 'ON_ERROR_STOP=1', '--dbname', connection.url, '-c', sql], connection.env);
  child.stdin?.end();
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const errors: string[] = [];
  child.stderr?.on('data', (d: Buffer) => errors.push(d.toString().trim()));
  const run = await finished(child, errors);
  if (run.code !== 0) throw new Error(`psql failed on ${connection.display}: ${run.stderr}`);
  return out.trim();
}

export interface BackupOptions {
  databaseUrl: string;
  /** The file to write. */
  file: string;
  /** Only these schemas (a service's schema is its name); the whole database when empty. */
  schemas?: string[];
  progress: Progress;
  tools?: PgTools;
}

export interface BackupResult {
  file: string;
  bytes: number;
  tables: number;
  database: string;
}

/** `pre_migration_<db>_YYYYmmdd_HHMMSS.sql`, as guide 004 §7.3 names them. */
export function backupFileName(database: string, at = new Date(), prefix = 'pre_migration'): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
  return `${prefix}_${database}_${stamp}.sql`;
}

export async function backupDatabase(options: BackupOptions): Promise<BackupResult> {
  const tools = options.tools ?? {};
  const connection = pgConnection(options.databaseUrl);
  const schemas = options.schemas ?? [];
  const where = schemas.length > 0 ? `schemaname in (${schemas.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')})` : "schemaname not in ('pg_catalog','information_schema')";
  const total = Number(await psqlValue(connection, `select count(*) from pg_tables where ${where}`, tools));

  mkdirSync(dirname(options.file), { recursive: true });
  const args = ['--verbose', '--clean', '--if-exists', '--no-owner', '--no-privileges', '--format=plain', '--dbname', connection.url];
  for (const schema of schemas) args.push('--schema', schema);
  const child = spawnTool(tool('pg_dump', tools), args, connection.env);
  child.stdin?.end();

  options.progress.start(total, `backup ${connection.display}`);
  let tables = 0;
  const errors: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (/dumping contents of table/.test(line)) {
      tables += 1;
      options.progress.update(Math.min(tables, total), line.replace(/^.*table\s+/, ''));
    } else if (/error|fatal/i.test(line)) errors.push(line);
  });
  const done = finished(child, errors);
  await pipeline(child.stdout!, createWriteStream(options.file));
  const run = await done;
  options.progress.stop();
  if (run.code !== 0) throw new Error(`pg_dump of ${connection.display} failed (exit ${run.code}): ${run.stderr}`);
  return { file: options.file, bytes: statSync(options.file).size, tables, database: connection.database };
}

export interface RestoreOptions {
  databaseUrl: string;
  file: string;
  progress: Progress;
  tools?: PgTools;
}

export interface RestoreResult {
  schemas: string[];
  bytes: number;
  database: string;
}

/** The dump's SQL, gunzipped when the file is `.gz` (the backup CronJob's files). */
function readDump(file: string): Readable {
  const raw = createReadStream(file);
  return file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
}

/** Schemas a plain dump creates (`CREATE SCHEMA name;`), in order. */
export async function schemasInDump(file: string): Promise<string[]> {
  const found: string[] = [];
  const lines = createInterface({ input: readDump(file), crlfDelay: Infinity });
  for await (const line of lines) {
    const match = /^CREATE SCHEMA (?:IF NOT EXISTS )?("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*);/.exec(line);
    if (match?.[1] && !found.includes(match[1])) found.push(match[1]);
  }
  return found;
}

export async function restoreDatabase(options: RestoreOptions): Promise<RestoreResult> {
  const tools = options.tools ?? {};
  const connection = pgConnection(options.databaseUrl);
  const bytes = statSync(options.file).size;
  const schemas = await schemasInDump(options.file);

  const child = spawnTool(
    tool('psql', tools),
    ['--no-psqlrc', '-X', '--quiet', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '--dbname', connection.url, '-f', '-'],
    connection.env,
  );
  child.stdout?.resume();
  const errors: string[] = [];
  child.stderr?.on('data', (d: Buffer) => errors.push(d.toString().trim()));
  const done = finished(child, errors);

  options.progress.start(Math.ceil(bytes / 1024), `restore ${connection.display} (KiB)`);
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      options.progress.update(Math.ceil(sent / 1024));
      callback(null, chunk);
    },
  });
  const prelude = schemas.map((s) => `DROP SCHEMA IF EXISTS ${s} CASCADE;\n`).join('');
  child.stdin!.write(prelude);
  // Counted as read from disk, before gunzip, so the total is the file's size either way.
  const stages: NodeJS.ReadWriteStream[] = options.file.endsWith('.gz') ? [counter, createGunzip()] : [counter];
  await pipeline([createReadStream(options.file), ...stages, child.stdin!]).catch((error: NodeJS.ErrnoException) => {
    // psql stopping at an error closes its stdin; its exit code says what happened.
    if (error.code !== 'EPIPE') throw error;
  });
  const run = await done;
  options.progress.stop();
  if (run.code !== 0) throw new Error(`restoring ${options.file} into ${connection.display} failed, nothing was changed (exit ${run.code}): ${run.stderr}`);
  return { schemas, bytes, database: connection.database };
}
