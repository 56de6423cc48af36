/**
 * The maintenance flag: a small file whose presence means "maintenance mode
 * is on". It may carry JSON — `{"message": "…", "retryAfterSeconds": 600}` —
 * and anything it lacks, or gets wrong, falls back to a default: a flag that
 * exists always means on (fail safe). The gateway reads it (a file on a
 * laptop or a VM, a ConfigMap mounted by Kubernetes); `fusion maintenance`
 * writes and removes it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Type } from 'typebox';
import { CommonSettings, ConfigError, loadConfig } from '../config/load-config.ts';
import { defaultDataDir } from '../db/database.ts';

export const DEFAULT_MAINTENANCE_MESSAGE = 'We are making some improvements to the shop and will be back shortly. Thank you for your patience.';
export const DEFAULT_RETRY_AFTER_SECONDS = 300;
export const MAX_MAINTENANCE_MESSAGE_LENGTH = 500;
export const MAX_RETRY_AFTER_SECONDS = 86_400;
/** The file name under the data directory, and the key of the Kubernetes ConfigMap. */
export const MAINTENANCE_FILE_NAME = 'maintenance.json';
export const DEFAULT_MAINTENANCE_POLL_MS = 1000;

export interface MaintenanceNotice {
  /** Shown to shoppers on the page and to API clients as the problem's `detail`. */
  message: string;
  /** Sent as `Retry-After`. */
  retryAfterSeconds: number;
  /** When it was switched on (ISO 8601), if the writer said. */
  since?: string;
}

export interface ParsedMaintenanceFlag {
  notice: MaintenanceNotice;
  /** What was wrong with the file, each replaced by its default; empty when it was fine. */
  problems: string[];
}

export type MaintenanceFlagState = { on: false } | ({ on: true } & ParsedMaintenanceFlag);

const KNOWN_FIELDS = new Set(['message', 'retryAfterSeconds', 'since']);

/** Checks a flag's fields, keeping the good ones and replacing the bad ones by defaults. */
export function checkMaintenanceNotice(value: unknown): ParsedMaintenanceFlag {
  const notice: MaintenanceNotice = { message: DEFAULT_MAINTENANCE_MESSAGE, retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { notice, problems: ['it is not a JSON object'] };
  }
  const problems: string[] = [];
  const fields = value as Record<string, unknown>;
  const { message, retryAfterSeconds, since } = fields;
  if (message !== undefined) {
    if (typeof message !== 'string' || message.trim() === '') problems.push('message must be a non-empty string');
    else if (message.trim().length > MAX_MAINTENANCE_MESSAGE_LENGTH) problems.push(`message must be at most ${MAX_MAINTENANCE_MESSAGE_LENGTH} characters`);
    else notice.message = message.trim();
  }
  if (retryAfterSeconds !== undefined) {
    if (typeof retryAfterSeconds !== 'number' || !Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 1 || retryAfterSeconds > MAX_RETRY_AFTER_SECONDS) {
      problems.push(`retryAfterSeconds must be a whole number of seconds from 1 to ${MAX_RETRY_AFTER_SECONDS}`);
    } else notice.retryAfterSeconds = retryAfterSeconds;
  }
  if (since !== undefined) {
    if (typeof since !== 'string' || Number.isNaN(Date.parse(since))) problems.push('since must be an ISO 8601 time');
    else notice.since = since;
  }
  // A misspelt field would otherwise be ignored without a word.
  for (const key of Object.keys(fields)) if (!KNOWN_FIELDS.has(key)) problems.push(`unknown field "${key}" (known: ${[...KNOWN_FIELDS].join(', ')})`);
  return { notice, problems };
}

/** The flag's contents: empty means the defaults; anything unreadable still means on, with defaults. */
export function parseMaintenanceFlag(text: string): ParsedMaintenanceFlag {
  if (text.trim() === '') return checkMaintenanceNotice({});
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ...checkMaintenanceNotice({}), problems: [`it is not valid JSON (${(error as Error).message})`] };
  }
  return checkMaintenanceNotice(value);
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** Off when there is no file; on otherwise, even when it cannot be read or parsed. */
export async function readMaintenanceFlag(file: string): Promise<MaintenanceFlagState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { on: false };
    return { on: true, ...checkMaintenanceNotice({}), problems: [`it cannot be read (${code ?? (error as Error).message})`] };
  }
  return { on: true, ...parseMaintenanceFlag(text) };
}

/** Writes the flag in one step (a temporary file renamed over it), so a reader never sees half of it. */
export async function writeMaintenanceFlag(file: string, notice: MaintenanceNotice): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = join(dirname(file), `.${MAINTENANCE_FILE_NAME}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, `${JSON.stringify(notice, null, 2)}\n`);
    await rename(temporary, file);
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Removes the flag; false when there was none. */
export async function removeMaintenanceFlag(file: string): Promise<boolean> {
  try {
    await rm(file);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

export const MaintenanceConfigSchema = Type.Object({
  FUSION_DATA_DIR: CommonSettings.FUSION_DATA_DIR,
  /** Where the flag is; an absolute path, so the gateway and `fusion maintenance` agree wherever they run. */
  FUSION_MAINTENANCE_FILE: Type.Optional(Type.String({ minLength: 1 })),
  FUSION_MAINTENANCE_POLL_MS: Type.Optional(Type.Integer({ minimum: 50, maximum: 60_000 })),
});

export interface MaintenanceSettings {
  /** The flag file. */
  file: string;
  /** How often the gateway looks at it. */
  pollMs: number;
}

/** FUSION_MAINTENANCE_FILE (default: maintenance.json in the data directory) and FUSION_MAINTENANCE_POLL_MS, validated. */
export function loadMaintenanceConfig(env: Record<string, string | undefined> = process.env): MaintenanceSettings {
  const config = loadConfig(MaintenanceConfigSchema, env);
  const file = config.FUSION_MAINTENANCE_FILE;
  if (file !== undefined && !isAbsolute(file)) {
    throw new ConfigError(`Invalid configuration: FUSION_MAINTENANCE_FILE must be an absolute path (got "${file}").`);
  }
  return {
    file: file ?? join(resolve(config.FUSION_DATA_DIR ?? defaultDataDir), MAINTENANCE_FILE_NAME),
    pollMs: config.FUSION_MAINTENANCE_POLL_MS ?? DEFAULT_MAINTENANCE_POLL_MS,
  };
}
