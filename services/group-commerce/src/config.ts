/**
 * Group-commerce settings, read once at start-up: how often the deadline
 * schedule is polled, how long stock stays held past a deadline, and the
 * base of the share links.
 */
import { loadConfig } from '@fusioncommerce/platform';
import { Type } from 'typebox';

export const GroupConfigSchema = Type.Object({
  /** How often this process looks for groups past their deadline, in ms (default 1000); 0 turns the poller off here. */
  GROUP_DEADLINE_POLL_MS: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000 })),
  /** Groups settled per deadline transaction (default 20). */
  GROUP_DEADLINE_BATCH_SIZE: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  /** How long past a group's deadline its stock stays reserved, so settlement can still commit it (default 3600). */
  GROUP_HOLD_GRACE_SECONDS: Type.Optional(Type.Integer({ minimum: 60, maximum: 7 * 24 * 3600 })),
  /** Share links are `<base>/groups/<code>` (default http://localhost:8000, the embedded storefront). */
  GROUP_SHARE_BASE_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$' })),
});

export interface GroupSettings {
  deadlinePollMs: number;
  deadlineBatchSize: number;
  holdGraceSeconds: number;
  shareBaseUrl: string;
}

export const DEFAULT_SETTINGS: GroupSettings = {
  deadlinePollMs: 1000,
  deadlineBatchSize: 20,
  holdGraceSeconds: 3600,
  shareBaseUrl: 'http://localhost:8000',
};

/** Validates the group-commerce variables of `env`; throws ConfigError with one clear line. */
export function loadGroupSettings(env: Record<string, string | undefined> = process.env): GroupSettings {
  const values = loadConfig(GroupConfigSchema, env);
  return {
    deadlinePollMs: values.GROUP_DEADLINE_POLL_MS ?? DEFAULT_SETTINGS.deadlinePollMs,
    deadlineBatchSize: values.GROUP_DEADLINE_BATCH_SIZE ?? DEFAULT_SETTINGS.deadlineBatchSize,
    holdGraceSeconds: values.GROUP_HOLD_GRACE_SECONDS ?? DEFAULT_SETTINGS.holdGraceSeconds,
    shareBaseUrl: (values.GROUP_SHARE_BASE_URL ?? DEFAULT_SETTINGS.shareBaseUrl).replace(/\/+$/, ''),
  };
}
