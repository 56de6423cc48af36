/**
 * Settings of a platform process (a service alone or the gateway with all of
 * them), and the production guard: with NODE_ENV=production the process
 * refuses to start on missing or development secrets, naming each one.
 */
import { Type, type Static } from 'typebox';
import { CommonSettings, ConfigError, loadConfig } from './load-config.ts';

/** Development-only key: fine on a laptop, refused in production. */
export const DEVELOPMENT_SIGNING_KEYS = 'dev:fusioncommerce-development-signing-key-do-not-use-in-production';

export const ProcessConfigSchema = Type.Object({
  ...CommonSettings,
  AUTH_SIGNING_KEYS: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]+:[^,]{32,}(,[A-Za-z0-9._-]+:[^,]{32,})*$' })),
  ACCESS_TOKEN_TTL_SECONDS: Type.Optional(Type.Integer({ minimum: 60, maximum: 86_400 })),
  MIGRATE_ON_START: Type.Optional(Type.Boolean()),
  GIT_COMMIT: Type.Optional(Type.String({ maxLength: 64 })),
  BUILD_TIME: Type.Optional(Type.String({ maxLength: 64 })),
});

export type ProcessConfig = Static<typeof ProcessConfigSchema>;

export interface SecretRequirement {
  name: string;
  /** Values that are known defaults and so as good as missing. */
  defaults: string[];
}

export const PRODUCTION_SECRETS: SecretRequirement[] = [
  { name: 'AUTH_SIGNING_KEYS', defaults: [DEVELOPMENT_SIGNING_KEYS] },
  { name: 'DATABASE_URL', defaults: [] },
];

/** Throws ConfigError naming every secret that is missing or left at a default. */
export function assertProductionSecrets(
  env: Record<string, string | undefined>,
  required: SecretRequirement[] = PRODUCTION_SECRETS,
): void {
  if (env.NODE_ENV !== 'production') return;
  const bad = required
    .filter(({ name, defaults }) => {
      const value = env[name];
      return value === undefined || value.trim() === '' || defaults.includes(value) || /change-?me/i.test(value);
    })
    .map((r) => r.name);
  if (bad.length > 0) {
    throw new ConfigError(`Refusing to start in production: set real values for ${bad.join(', ')} (missing or left at a development default).`);
  }
}

export function loadProcessConfig(env: Record<string, string | undefined> = process.env, secrets?: SecretRequirement[]): ProcessConfig {
  const config = loadConfig(ProcessConfigSchema, env);
  assertProductionSecrets(env, secrets);
  return config;
}
