/**
 * `fusion maintenance on|off|status`: maintenance mode on a laptop or a VM.
 * The gateway answers 503 with a page and Retry-After while the flag file
 * exists; this writes, removes and reads that file. In Kubernetes the flag is
 * a ConfigMap (docs/deployment.md §12), changed with kubectl instead.
 */
import { resolve } from 'node:path';
import {
  ConfigError,
  checkMaintenanceNotice,
  loadMaintenanceConfig,
  readMaintenanceFlag,
  removeMaintenanceFlag,
  writeMaintenanceFlag,
  type MaintenanceNotice,
} from '@fusioncommerce/platform';
import { MAINTENANCE } from './generate/k8s.ts';
import { UsageError } from './usage-error.ts';

export type MaintenanceAction = 'on' | 'off' | 'status';

export interface MaintenanceOptions {
  action: MaintenanceAction;
  /** --file: relative to `cwd`; without it FUSION_MAINTENANCE_FILE, else maintenance.json in FUSION_DATA_DIR or <repo>/.data. */
  file?: string;
  /** on: what shoppers and API clients are told (the default message when omitted). */
  message?: string;
  /** on: the Retry-After the gateway sends, in seconds, as given on the command line. */
  retryAfter?: string;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** What `status --json` prints. */
export type MaintenanceStatus = { on: false; file: string } | ({ on: true; file: string } & MaintenanceNotice & { problems: string[] });

export type MaintenanceReport =
  | { action: 'status'; status: MaintenanceStatus }
  | { action: 'off'; file: string; removed: boolean }
  | { action: 'on'; file: string; updated: boolean; notice: MaintenanceNotice };

function flagFile(options: MaintenanceOptions): string {
  if (options.file) return resolve(options.cwd, options.file);
  try {
    return loadMaintenanceConfig(options.env).file;
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** Switches maintenance mode on or off, or reads it; a wrong option or value is a UsageError, a flag that cannot be written says what to do in Kubernetes. */
export async function runMaintenance(options: MaintenanceOptions): Promise<MaintenanceReport> {
  const { action } = options;
  if (action !== 'on' && (options.message !== undefined || options.retryAfter !== undefined)) throw new UsageError('--message and --retry-after go with `maintenance on`');
  const file = flagFile(options);
  const current = await readMaintenanceFlag(file);
  if (action === 'status') {
    return { action, status: current.on ? { on: true, file, ...current.notice, problems: current.problems } : { on: false, file } };
  }
  try {
    if (action === 'off') return { action, file, removed: await removeMaintenanceFlag(file) };
    const retryAfterSeconds = options.retryAfter === undefined ? undefined : Number(options.retryAfter);
    // Switching on again updates the notice and keeps when it began.
    const since = current.on && current.problems.length === 0 ? current.notice.since : undefined;
    const checked = checkMaintenanceNotice({ message: options.message, retryAfterSeconds, since: since ?? new Date().toISOString() });
    if (checked.problems.length > 0) throw new UsageError(checked.problems.map((p) => p.replace(/^message/, '--message').replace(/^retryAfterSeconds/, '--retry-after')).join('; '));
    await writeMaintenanceFlag(file, checked.notice);
    return { action, file, updated: current.on, notice: checked.notice };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
      throw new Error(`cannot change ${file} (${code}). In Kubernetes the flag is a ConfigMap: kubectl apply -f ${MAINTENANCE.manifest} -n <namespace> (or kubectl delete -f) instead`);
    }
    throw error;
  }
}

/** The report's lines for a terminal, and warnings for stderr (a flag file the gateway only partly understands). */
export function formatMaintenanceReport(report: MaintenanceReport): { lines: string[]; warnings: string[] } {
  if (report.action === 'status') {
    const { status } = report;
    if (!status.on) return { lines: [`maintenance mode is OFF (no ${status.file})`], warnings: [] };
    return {
      lines: [`maintenance mode is ON${status.since ? ` since ${status.since}` : ''} (${status.file})`, `  message: ${status.message}`, `  Retry-After: ${status.retryAfterSeconds} s`],
      warnings: status.problems.map((problem) => `warning: the flag file is not valid, the gateway uses a default instead: ${problem}`),
    };
  }
  if (report.action === 'off') {
    return {
      lines: [
        report.removed
          ? `maintenance mode OFF: removed ${report.file}; the gateway serves normally from its next look (every second by default)`
          : `maintenance mode was already off (no ${report.file})`,
      ],
      warnings: [],
    };
  }
  return {
    lines: [
      `maintenance mode ${report.updated ? 'ON (notice updated)' : 'ON'}: ${report.file}`,
      `  message: ${report.notice.message}`,
      `  Retry-After: ${report.notice.retryAfterSeconds} s`,
      'The gateway answers 503 from its next look (every second by default); /health, /ready and /metrics keep answering, admin tokens pass. `fusion maintenance off` ends it.',
    ],
    warnings: [],
  };
}
