/**
 * The customers service as the platform mounts it: its schema, migrations and
 * routes, and the first admin. It runs the same alone (port 3006) or inside
 * the gateway; its settings come from the environment when it is mounted.
 */
import type { FastifyInstance } from 'fastify';
import {
  DEVELOPMENT_ADMIN_EMAIL,
  DEVELOPMENT_ADMIN_PASSWORD,
  PRODUCTION_SECRETS,
  loadProcessConfig,
  type ServiceDefinition,
} from '@fusioncommerce/platform';
import { customersMigrations } from './migrations.ts';
import { adminRoutes } from './routes/admin.ts';
import { authRoutes } from './routes/auth.ts';
import { customerRoutes } from './routes/customers.ts';
import { DEFAULT_LIMITS, type CustomersLimits } from './security/attempt-limiter.ts';
import { DEFAULT_HASHING_COST, PasswordHasher, type PasswordHashingCost } from './security/passwords.ts';
import { ensureFirstAdmin } from './use-cases/bootstrap-admin.ts';
import { DEFAULT_SETTINGS, customersDeps, type CustomersDeps, type CustomersSettings } from './use-cases/deps.ts';

export interface CustomersServiceOptions {
  /** Where ADMIN_*, REFRESH_TOKEN_TTL_SECONDS and friends are read from when mounted (default: process.env). */
  env?: Record<string, string | undefined>;
  /** The clock of sessions, one-time tokens and throttles (tests move it). */
  now?: () => Date;
  hashingCost?: PasswordHashingCost;
  limits?: Partial<CustomersLimits>;
  settings?: Partial<CustomersSettings>;
}

async function bootstrapFirstAdmin(app: FastifyInstance, deps: CustomersDeps, admin: { email: string; password: string; development: boolean }) {
  let done = false;
  const ensure = async () => {
    if (done) return;
    const outcome = await ensureFirstAdmin(deps, admin);
    done = true;
    const hint = admin.development
      ? ` with the development password "${DEVELOPMENT_ADMIN_PASSWORD}" — set ADMIN_EMAIL and ADMIN_PASSWORD before this shop faces the internet`
      : '';
    if (outcome === 'created') app.log.warn(`Created the first admin, ${admin.email}${hint}.`);
    else if (outcome === 'exists-not-admin') app.log.warn(`ADMIN_EMAIL ${admin.email} belongs to a customer account; it was left as it is. Promote it from another admin, or pick another ADMIN_EMAIL.`);
    else if (admin.development) app.log.info(`Admin sign-in: ${admin.email}${hint} (unless you changed it).`);
  };
  // Until the migrations are applied (a separate job in production) the admin
  // cannot be created yet; readiness keeps trying and stays red until it is.
  app.readiness.add('customers:first-admin', ensure);
  try {
    await ensure();
  } catch (error) {
    if ((error as { code?: string }).code !== '42P01') throw error;
    app.log.warn('The customers tables do not exist yet; the first admin will be created once migrations are applied.');
  }
}

export function createCustomersService(options: CustomersServiceOptions = {}): ServiceDefinition {
  return {
    name: 'customers',
    port: 3006,
    migrations: customersMigrations,
    openapi: { title: 'FusionCommerce customers', description: 'Accounts, sign-in, tokens, roles, profiles and address books.' },
    routes: async (app, { knex }) => {
      const config = loadProcessConfig(options.env ?? process.env, PRODUCTION_SECRETS, ['customers']);
      const tokens = app.accessTokens;
      if (!tokens) throw new Error('the customers service signs access tokens: build the app with a token service (AUTH_SIGNING_KEYS)');
      const deps = customersDeps({
        knex,
        tokens,
        passwords: new PasswordHasher(options.hashingCost ?? DEFAULT_HASHING_COST),
        settings: {
          ...DEFAULT_SETTINGS,
          ...(config.REFRESH_TOKEN_TTL_SECONDS ? { refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS } : {}),
          ...(config.AUTH_REQUIRE_EMAIL_VERIFICATION !== undefined ? { requireVerifiedEmail: config.AUTH_REQUIRE_EMAIL_VERIFICATION } : {}),
          ...options.settings,
        },
        limits: { ...DEFAULT_LIMITS, ...options.limits },
        now: options.now ?? (() => new Date()),
      });
      await app.register(authRoutes, { deps });
      await app.register(customerRoutes, { deps });
      await app.register(adminRoutes, { deps });
      await bootstrapFirstAdmin(app, deps, {
        email: config.ADMIN_EMAIL ?? DEVELOPMENT_ADMIN_EMAIL,
        password: config.ADMIN_PASSWORD ?? DEVELOPMENT_ADMIN_PASSWORD,
        development: config.ADMIN_PASSWORD === undefined,
      });
    },
  };
}

export const customersService: ServiceDefinition = createCustomersService();
