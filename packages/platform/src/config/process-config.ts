/**
 * Settings of a platform process (a service alone or the gateway with all of
 * them), and the production guard: with NODE_ENV=production the process
 * refuses to start on missing or development secrets, naming each one.
 */
import { Type, type Static } from 'typebox';
import { CommonSettings, ConfigError, loadConfig } from './load-config.ts';

/** Development-only key: fine on a laptop, refused in production. */
export const DEVELOPMENT_SIGNING_KEYS = 'dev:fusioncommerce-development-signing-key-do-not-use-in-production';

/** The first admin on a laptop when ADMIN_EMAIL/ADMIN_PASSWORD are not set; refused in production. */
export const DEVELOPMENT_ADMIN_EMAIL = 'admin@fusioncommerce.local';
export const DEVELOPMENT_ADMIN_PASSWORD = 'fusion-admin-dev-password';

export const ProcessConfigSchema = Type.Object({
  ...CommonSettings,
  AUTH_SIGNING_KEYS: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]+:[^,]{32,}(,[A-Za-z0-9._-]+:[^,]{32,})*$' })),
  ACCESS_TOKEN_TTL_SECONDS: Type.Optional(Type.Integer({ minimum: 60, maximum: 86_400 })),
  REFRESH_TOKEN_TTL_SECONDS: Type.Optional(Type.Integer({ minimum: 300, maximum: 90 * 86_400 })),
  /** The first admin, created at start if no account has this email. */
  ADMIN_EMAIL: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
  ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 12, maxLength: 256 })),
  /** When true, an account must confirm its email before it can sign in. */
  AUTH_REQUIRE_EMAIL_VERIFICATION: Type.Optional(Type.Boolean()),
  MIGRATE_ON_START: Type.Optional(Type.Boolean()),
  GIT_COMMIT: Type.Optional(Type.String({ maxLength: 64 })),
  BUILD_TIME: Type.Optional(Type.String({ maxLength: 64 })),
});

export type ProcessConfig = Static<typeof ProcessConfigSchema>;

export interface SecretRequirement {
  name: string;
  /** Values that are known defaults and so as good as missing. */
  defaults: string[];
  /** Shorter than this is refused too. */
  minLength?: number;
  /** Only processes that run one of these services need it; every process when omitted. */
  services?: string[];
  /** Only needed when this holds, e.g. when the Stripe provider is chosen. */
  when?: (env: Record<string, string | undefined>) => boolean;
}

const stripeChosen = (env: Record<string, string | undefined>): boolean => env.PAYMENTS_PROVIDER?.trim().toLowerCase() === 'stripe';

export const PRODUCTION_SECRETS: SecretRequirement[] = [
  { name: 'AUTH_SIGNING_KEYS', defaults: [DEVELOPMENT_SIGNING_KEYS] },
  { name: 'DATABASE_URL', defaults: [] },
  { name: 'ADMIN_PASSWORD', defaults: [DEVELOPMENT_ADMIN_PASSWORD], minLength: 12, services: ['customers'] },
  { name: 'STRIPE_SECRET_KEY', defaults: [], services: ['payments'], when: stripeChosen },
  { name: 'STRIPE_WEBHOOK_SECRET', defaults: [], services: ['payments'], when: stripeChosen },
];

/**
 * Throws ConfigError naming every secret that is missing, too short or left at
 * a default. `running` names the services of this process; when it is not
 * given (the gateway runs them all), every requirement applies.
 */
export function assertProductionSecrets(
  env: Record<string, string | undefined>,
  required: SecretRequirement[] = PRODUCTION_SECRETS,
  running?: string[],
): void {
  if (env.NODE_ENV !== 'production') return;
  const bad = required
    .filter((r) => !r.services || !running || r.services.some((s) => running.includes(s)))
    .filter((r) => !r.when || r.when(env))
    .filter(({ name, defaults, minLength }) => {
      const value = env[name];
      return (
        value === undefined ||
        value.trim() === '' ||
        defaults.includes(value) ||
        /change-?me/i.test(value) ||
        (minLength !== undefined && value.length < minLength)
      );
    })
    .map((r) => r.name);
  if (bad.length > 0) {
    throw new ConfigError(
      `Refusing to start in production: set real values for ${bad.join(', ')} (missing, too short or left at a development default).`,
    );
  }
}

export function loadProcessConfig(
  env: Record<string, string | undefined> = process.env,
  secrets?: SecretRequirement[],
  running?: string[],
): ProcessConfig {
  const config = loadConfig(ProcessConfigSchema, env);
  assertProductionSecrets(env, secrets, running);
  return config;
}
