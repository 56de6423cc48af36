/**
 * The `fusion` command line. Every command writes its report to stdout,
 * progress and diagnostics to stderr, and sets the exit code: 0 when all is
 * well, 1 when a check failed or a verdict says roll back, 2 on bad usage.
 */
import { join, relative, resolve } from 'node:path';
import { Argument, Command, CommanderError, Option } from 'commander';
import { DEFAULT_RETRY_AFTER_SECONDS, MAX_MAINTENANCE_MESSAGE_LENGTH, MAX_RETRY_AFTER_SECONDS } from '@fusioncommerce/platform';
import { adminAuthFromEnv, type AdminAuthOptions } from './admin-token.ts';
import { backupDatabase, backupFileName, pgConnection, restoreDatabase } from './backup.ts';
import { describeOutcome, openTarget, runMigrations, runSeeds, type MigrateAction } from './database-commands.ts';
import { formatDemoReport, runDemo } from './demo.ts';
import { generate } from './generate/index.ts';
import { formatMaintenanceReport, runMaintenance, type MaintenanceAction } from './maintenance.ts';
import { createProgress, type Progress } from './progress.ts';
import { formatChecks, summarize } from './report.ts';
import { SERVICES, activeServices, findService, imageOf, schemaOf, workloadName, type ServiceSpec } from './services.ts';
import { runSmoke, type OptionalStep } from './smoke.ts';
import { UsageError } from './usage-error.ts';
import { verifyRollout } from './verify/verify.ts';
import { findRoot, presentServices } from './workspace.ts';

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  /** Repository or image root; found from the CLI's own location when omitted. */
  root?: string;
  /** Where the command was run: inside a service's directory, database commands default to that service. */
  cwd?: string;
  progress?: 'bar' | 'lines' | 'silent';
  fetch?: typeof fetch;
}

const list = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
const repeat = (value: string, previous: string[] = []) => [...previous, value];

function positiveNumber(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name} must be a non-negative number, got "${value}"`);
    return n;
  };
}

export function buildProgram(io: Io): Command {
  const out = (text: string) => io.stdout.write(`${text}\n`);
  const err = (text: string) => io.stderr.write(`${text}\n`);
  const root = () => io.root ?? findRoot();
  const progress = (): Progress => createProgress({ stream: io.stderr, mode: io.progress });
  const fail = (code: number) => {
    process.exitCode = code;
  };

  /**
   * The services a database command works on: --service; else the service
   * whose directory the command runs in (an image's working directory, like
   * `npx knex`); else every one whose code is here.
   */
  const pickServices = (names: string[] | undefined): ServiceSpec[] => {
    const present = presentServices(root());
    if (!names || names.length === 0) {
      const here = relative(root(), resolve(io.cwd ?? process.cwd()));
      const own = present.find((s) => here === s.dir || here.startsWith(`${s.dir}/`));
      if (own) return [own];
      if (present.length === 0) throw new UsageError(`no service migrations found under ${root()}`);
      return present;
    }
    return names.map((name) => {
      const spec = SERVICES.find((s) => s.name === name);
      if (!spec) throw new UsageError(`unknown service "${name}"; known: ${SERVICES.map((s) => s.name).join(', ')}`);
      if (!schemaOf(spec)) throw new UsageError(`${name} owns no database schema`);
      if (!present.includes(spec)) throw new UsageError(`${name}'s code is not here (${spec.dir}); present: ${present.map((s) => s.name).join(', ') || 'none'}`);
      return spec;
    });
  };

  const databaseUrl = (options: { databaseUrl?: string }) => options.databaseUrl ?? io.env.DATABASE_URL;

  /** How the commands that use the admin API get their token (docs/deployment.md §2, "An admin token for the CLI"). */
  const adminOptions = (command: Command) =>
    command
      .option('--token <jwt>', 'an admin access token (default: FUSION_TOKEN)')
      .option('--email <email>', 'sign in as this admin (default: FUSION_ADMIN_EMAIL)')
      .option('--password <password>', "the admin's password (default: FUSION_ADMIN_PASSWORD)")
      .option('--signing-keys <keyring>', 'sign an admin token with the platform keyring, kid:secret[,…]; `dev` for the development key (default: AUTH_SIGNING_KEYS)');
  const adminAuth = (options: AdminAuthOptions): AdminAuthOptions => {
    const fromEnv = adminAuthFromEnv(io.env);
    return {
      token: options.token ?? fromEnv.token,
      email: options.email ?? fromEnv.email,
      password: options.password ?? fromEnv.password,
      signingKeys: options.signingKeys ?? fromEnv.signingKeys,
    };
  };

  const program = new Command('fusion')
    .description('Operate FusionCommerce: migrations, demo data, smoke tests, rollout verification, backups, deployment files.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError();

  const dbOptions = (command: Command) =>
    command
      .option('--service <names>', 'only these services (comma-separated or repeated)', list)
      .option('--database-url <url>', 'postgres://… (default: DATABASE_URL; without either, the embedded database)')
      .option('--data-dir <dir>', 'embedded database directory when no URL is given (default: FUSION_DATA_DIR or <repo>/.data)');

  dbOptions(
    program
      .command('migrate')
      .description("run each service's migrations: latest, status or rollback (the last batch)")
      .addArgument(new Argument('<action>', 'latest | status | rollback').choices(['latest', 'status', 'rollback'])),
  )
    .option('--all', 'rollback: every batch, not only the last')
    .option('--check', 'status: exit 1 when a migration is pending')
    .option('--backup-dir <dir>', 'latest: take a `fusion backup` into this directory first (needs a database URL)')
    .action(async (action: MigrateAction, options: { service?: string[]; databaseUrl?: string; dataDir?: string; all?: boolean; check?: boolean; backupDir?: string }) => {
      if (action === 'rollback' && !options.service) throw new UsageError('rollback needs --service: say which services to roll back');
      const services = pickServices(options.service);
      const url = databaseUrl(options);
      if (options.backupDir) {
        if (action !== 'latest') throw new UsageError('--backup-dir goes with `migrate latest`');
        if (!url) throw new UsageError('--backup-dir needs a database URL (--database-url or DATABASE_URL)');
        const file = join(resolve(options.backupDir), backupFileName(pgConnection(url).database));
        const backup = await backupDatabase({ databaseUrl: url, file, progress: progress() });
        out(`backup: ${backup.tables} table(s), ${backup.bytes} bytes → ${backup.file}`);
        out(`  to undo this migration: fusion restore ${backup.file} --yes`);
      }
      const db = openTarget({ url, dataDir: options.dataDir ?? io.env.FUSION_DATA_DIR });
      try {
        const outcomes = await runMigrations(action, { root: root(), services, db, progress: progress(), all: options.all });
        out(`${db.location}`);
        for (const outcome of outcomes) out(`  ${describeOutcome(action, outcome)}`);
        if (options.check && outcomes.some((o) => o.pending.length > 0)) fail(1);
      } finally {
        await db.close();
      }
    });

  dbOptions(program.command('seed').description('load demo data into services whose tables are empty (after `migrate latest`)')).action(
    async (options: { service?: string[]; databaseUrl?: string; dataDir?: string }) => {
      const services = pickServices(options.service);
      const db = openTarget({ url: databaseUrl(options), dataDir: options.dataDir ?? io.env.FUSION_DATA_DIR });
      try {
        const outcomes = await runSeeds({ root: root(), services, db, progress: progress() });
        if (outcomes.length === 0) out('no service here has demo data to load');
        for (const o of outcomes) out(`${o.service}: ${o.seeded ? `loaded the ${o.label}` : 'skipped'} (${o.detail})`);
      } finally {
        await db.close();
      }
    },
  );

  adminOptions(
    program
      .command('smoke')
      .description('guide 004 §11.3 against a running platform: health, a product through the admin API, its events, an order through the saga'),
  )
    .argument('<base-url>', 'the gateway URL (or the catalog service’s), e.g. https://staging.shop.example.com')
    .option('--wait <seconds>', 'how long events and the order may take', positiveNumber('--wait'), 30)
    .option('--require <steps>', 'fail instead of skipping these steps when their API is missing: events, order', list)
    .option('--keep', 'leave the test product and order in place')
    .option('--json', 'print the report as JSON')
    .action(async (baseUrl: string, options: { token?: string; email?: string; password?: string; signingKeys?: string; wait: number; require?: string[]; keep?: boolean; json?: boolean }) => {
      const unknown = (options.require ?? []).filter((s) => s !== 'events' && s !== 'order');
      if (unknown.length > 0) throw new UsageError(`--require takes events and order, not ${unknown.join(', ')}`);
      const report = await runSmoke({
        baseUrl,
        auth: adminAuth(options),
        waitMs: options.wait * 1000,
        require: options.require as OptionalStep[] | undefined,
        keep: options.keep,
        fetch: io.fetch,
        onCheck: options.json ? undefined : (check) => err(`… ${check.name}: ${check.status}`),
      });
      if (options.json) out(JSON.stringify(report, null, 2));
      else {
        out(`smoke test of ${baseUrl}`);
        out(formatChecks(report.checks));
        const { passed, failed, skipped } = summarize(report.checks);
        out(`${report.ok ? 'PASSED' : 'FAILED'}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
      }
      if (!report.ok) fail(1);
    });

  adminOptions(
    program
      .command('demo')
      .description('complete the demo shop of a distributed platform through its admin API, after `fusion seed`: demo stock for every SKU, the two demo group deals'),
  )
    .argument('<base-url>', 'the gateway URL, e.g. http://localhost:8000')
    .option('--wait <seconds>', 'how long to wait for the catalog to appear and for inventory and group buying to learn of it', positiveNumber('--wait'), 60)
    .option('--json', 'print the report as JSON')
    .action(async (baseUrl: string, options: AdminAuthOptions & { wait: number; json?: boolean }) => {
      // What stops it (platform unreachable, token refused, no catalog) is thrown: one line on stderr, exit 1.
      const report = await runDemo({
        baseUrl,
        auth: adminAuth(options),
        root: root(),
        waitMs: options.wait * 1000,
        progress: progress(),
        onStep: (line) => err(`… ${line}`),
        fetch: io.fetch,
      });
      if (options.json) out(JSON.stringify(report, null, 2));
      else for (const line of formatDemoReport(report)) out(line);
    });

  program
    .command('verify')
    .description("guide 004 §10.4's rollback criteria after a deploy: error rate, p95 against the baseline, pod health, consumer lag → keep or roll back")
    .option('--service <name>', 'the service label to judge (catalog, gateway…); all series when omitted')
    .option('--metrics <url|file>', '/metrics of the new pods, or a recorded scrape (repeatable)', repeat)
    .option('--baseline <url|file>', 'a scrape from before the deploy: its p95 is the baseline (repeatable)', repeat)
    .option('--baseline-p95 <ms>', 'the pre-deployment p95 in milliseconds, when known', positiveNumber('--baseline-p95'))
    .option('--health <url>', 'a pod base URL whose /health and /ready count (repeatable; default: the --metrics origins)', repeat)
    .option('--prometheus <url>', 'read the criteria from Prometheus instead of scrapes')
    .option('--namespace <ns>', 'Prometheus: the Kubernetes namespace (also enables the pod health query)')
    .option('--container <name>', 'Prometheus: the container to check pod health of (default: the workload of --service)')
    .option('--deployed-at <time>', 'Prometheus: when the deploy started (ISO 8601); the baseline is the window before it')
    .option('--window <range>', 'Prometheus: PromQL range to judge, e.g. 15m (default: since the deploy, at most 30m)')
    .option('--min-requests <n>', 'fewer requests than this cannot judge error rate or latency', positiveNumber('--min-requests'))
    .option('--json', 'print the verdict as JSON')
    .action(
      async (options: {
        service?: string;
        metrics?: string[];
        baseline?: string[];
        baselineP95?: number;
        health?: string[];
        prometheus?: string;
        namespace?: string;
        container?: string;
        deployedAt?: string;
        window?: string;
        minRequests?: number;
        json?: boolean;
      }) => {
        if (!options.prometheus && !options.metrics) throw new UsageError('nothing to verify: give --prometheus <url> or --metrics <url|file> (repeatable)');
        let deployedAt: Date | undefined;
        if (options.deployedAt) {
          deployedAt = new Date(options.deployedAt);
          if (Number.isNaN(deployedAt.getTime())) throw new UsageError(`--deployed-at is not a time: ${options.deployedAt}`);
        }
        const known = options.service ? SERVICES.find((s) => s.name === options.service) : undefined;
        const result = await verifyRollout({
          service: options.service,
          baselineP95Seconds: options.baselineP95 !== undefined ? options.baselineP95 / 1000 : undefined,
          minRequests: options.minRequests,
          fetch: io.fetch,
          prometheus: options.prometheus
            ? { url: options.prometheus, namespace: options.namespace, container: options.container ?? (known ? workloadName(known) : undefined), deployedAt, window: options.window }
            : undefined,
          scrape: options.metrics ? { metrics: options.metrics, baseline: options.baseline, health: options.health } : undefined,
        });
        if (options.json) out(JSON.stringify(result, null, 2));
        else {
          out(`rollout verification${options.service ? ` of ${options.service}` : ''} from ${result.source}`);
          out(formatChecks(result.checks));
          out(result.decision === 'rollback' ? `VERDICT: ROLL BACK — ${result.reasons.join('; ')}` : 'VERDICT: KEEP — no rollback criterion is breached');
        }
        if (result.decision === 'rollback') fail(1);
      },
    );

  program
    .command('backup')
    .description('pg_dump the database into a plain SQL file that `fusion restore` puts back (guide 004 §7.3)')
    .option('--database-url <url>', 'postgres://… (default: DATABASE_URL)')
    .option('--out <file>', 'the file to write (default: <dir>/pre_migration_<db>_<time>.sql)')
    .option('--dir <dir>', 'directory for the default file name', 'backups')
    .option('--service <names>', "only these services' schemas", list)
    .option('--pg-bin <dir>', 'where pg_dump and psql are (default: PATH)')
    .action(async (options: { databaseUrl?: string; out?: string; dir: string; service?: string[]; pgBin?: string }) => {
      const url = databaseUrl(options);
      if (!url) throw new UsageError('backup needs --database-url or DATABASE_URL');
      const schemas = (options.service ?? []).map((name) => schemaOf(findService(name)) ?? name);
      const file = resolve(options.out ?? join(options.dir, backupFileName(pgConnection(url).database)));
      const result = await backupDatabase({ databaseUrl: url, file, schemas, progress: progress(), tools: { binDir: options.pgBin } });
      out(`backed up ${result.tables} table(s) of ${result.database}${schemas.length ? ` (schemas ${schemas.join(', ')})` : ''}: ${result.bytes} bytes → ${result.file}`);
    });

  program
    .command('restore')
    .description('put a backup back: the schemas it holds are replaced entirely, in one transaction')
    .argument('<file>', 'a file from `fusion backup` or the backup CronJob (.sql or .sql.gz)')
    .option('--database-url <url>', 'postgres://… (default: DATABASE_URL)')
    .option('--yes', 'really replace the data (required)')
    .option('--pg-bin <dir>', 'where pg_dump and psql are (default: PATH)')
    .action(async (file: string, options: { databaseUrl?: string; yes?: boolean; pgBin?: string }) => {
      const url = databaseUrl(options);
      if (!url) throw new UsageError('restore needs --database-url or DATABASE_URL');
      if (!options.yes) throw new UsageError(`restore replaces the schemas in ${file} on ${pgConnection(url).display}; add --yes to go ahead`);
      const result = await restoreDatabase({ databaseUrl: url, file: resolve(file), progress: progress(), tools: { binDir: options.pgBin } });
      out(`restored ${result.schemas.length > 0 ? `schemas ${result.schemas.join(', ')}` : 'the dump'} into ${result.database} (${result.bytes} bytes)`);
    });

  program
    .command('maintenance')
    .description('maintenance mode on a laptop or a VM: the gateway answers 503 with a page and Retry-After while the flag file exists (Kubernetes: docs/deployment.md §12)')
    .addArgument(new Argument('<action>', 'on | off | status').choices(['on', 'off', 'status']))
    .option('--message <text>', `on: what shoppers and API clients are told (at most ${MAX_MAINTENANCE_MESSAGE_LENGTH} characters)`)
    .option('--retry-after <seconds>', `on: the Retry-After the gateway sends, 1–${MAX_RETRY_AFTER_SECONDS} (default ${DEFAULT_RETRY_AFTER_SECONDS})`)
    .option('--file <path>', 'the flag file (default: FUSION_MAINTENANCE_FILE, else maintenance.json in FUSION_DATA_DIR or <repo>/.data)')
    .option('--json', 'status: print it as JSON')
    .action(async (action: MaintenanceAction, options: { message?: string; retryAfter?: string; file?: string; json?: boolean }) => {
      const { file, message, retryAfter } = options;
      const report = await runMaintenance({ action, file, message, retryAfter, env: io.env, cwd: io.cwd ?? process.cwd() });
      if (options.json && report.action === 'status') {
        out(JSON.stringify(report.status, null, 2));
        return;
      }
      const { lines, warnings } = formatMaintenanceReport(report);
      for (const line of lines) out(line);
      for (const warning of warnings) err(warning);
    });

  program
    .command('generate')
    .description('write the Dockerfiles, docker-compose.yml and deploy/k8s from the service list (packages/cli/src/services.ts)')
    .option('--check', 'change nothing; exit 1 and list the files that are stale')
    .action((options: { check?: boolean }) => {
      const result = generate(root(), { check: options.check });
      if (options.check) {
        if (result.stale.length > 0) {
          out(`stale (run \`npx fusion generate\`):\n${result.stale.map((p) => `  ${p}`).join('\n')}`);
          fail(1);
        } else out(`${result.unchanged.length} generated files are up to date`);
        return;
      }
      for (const path of result.written) out(`wrote ${path}`);
      out(`${result.written.length} written, ${result.unchanged.length} unchanged`);
    });

  program
    .command('services')
    .description('the deployable services: name, port, directory, image')
    .addOption(new Option('--format <format>', 'table, names or json').choices(['table', 'names', 'json']).default('table'))
    .option('--all', 'include planned services')
    .action((options: { format: string; all?: boolean }) => {
      const shown = options.all ? SERVICES : activeServices();
      if (options.format === 'names') out(shown.map((s) => s.name).join('\n'));
      else if (options.format === 'json') out(JSON.stringify(shown.map((s) => ({ ...s, image: imageOf(s), workload: workloadName(s) })), null, 2));
      else for (const s of shown) out(`${s.name.padEnd(15)} ${String(s.port).padEnd(5)} ${s.dir.padEnd(24)} ${imageOf(s)}${s.planned ? '  (planned)' : ''}`);
    });

  return program;
}

/** Runs the CLI with these arguments (without `node fusion`); resolves to the exit code. */
export async function runCli(args: string[], io: Io): Promise<number> {
  const previous = process.exitCode;
  process.exitCode = 0;
  try {
    await buildProgram(io).parseAsync(args, { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError) {
      io.stderr.write(`fusion: ${error.message}\n`);
      return 2;
    }
    io.stderr.write(`fusion: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    process.exitCode = previous;
  }
}
