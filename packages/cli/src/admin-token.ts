/**
 * An admin bearer token for the platform's admin API, from (in this order):
 * a token given as is, an admin's email and password (POST /v1/auth/login on
 * the customers service or the gateway), or the deployment's signing keyring
 * (AUTH_SIGNING_KEYS): the CLI then signs a short-lived admin JWT itself, the
 * way every service verifies them (HS256, issuer and audience `fusioncommerce`).
 * `authenticatedClient` obtains one and makes sure the platform accepts it.
 */
import { randomUUID } from 'node:crypto';
import { DEVELOPMENT_SIGNING_KEYS, createTokenService, parseKeyring } from '@fusioncommerce/platform';
import { HttpClient, describeResponse, type HttpResult } from './http-client.ts';

export interface AdminAuthOptions {
  token?: string;
  email?: string;
  password?: string;
  /** `kid:secret[,kid:secret]`; `dev` stands for the development key a laptop platform uses. */
  signingKeys?: string;
}

export interface AdminToken {
  token: string;
  /** How it was obtained, for reports (never the secret itself). */
  source: string;
}

/** Options from the environment: FUSION_TOKEN, FUSION_ADMIN_EMAIL / FUSION_ADMIN_PASSWORD, AUTH_SIGNING_KEYS. */
export function adminAuthFromEnv(env: Record<string, string | undefined> = process.env): AdminAuthOptions {
  return {
    token: env.FUSION_TOKEN || undefined,
    email: env.FUSION_ADMIN_EMAIL || undefined,
    password: env.FUSION_ADMIN_PASSWORD || undefined,
    signingKeys: env.AUTH_SIGNING_KEYS || undefined,
  };
}

export class AdminAuthError extends Error {}

/** A token was obtained, and the platform answered 401 or 403 to it on an admin route. */
export class AdminTokenRefusedError extends AdminAuthError {
  /** What usually lies behind a refusal, for the report to add in its own words. */
  readonly likelyCauses = 'a token signed with keys the platform does not hold, an expired token, or an account without the admin role';
}

/** The admin route the token is tried on answered something other than 2xx, 401 or 403 (a 5xx, a 404 without catalog…). */
export class AdminProbeError extends Error {
  constructor(
    readonly path: string,
    readonly result: HttpResult,
  ) {
    super(describeResponse('GET', path, result));
  }
}

/** Where a token is tried before anything is done with it: every platform with an admin API has the catalog's list. */
const ADMIN_PROBE_PATH = '/v1/admin/products?limit=1';

export interface AuthenticatedClient {
  client: HttpClient;
  /** How the token was obtained (AdminToken.source). */
  source: string;
}

/**
 * A client for the platform's admin API, carrying a token it has just accepted.
 * Throws AdminAuthError when no token can be had, AdminTokenRefusedError when
 * the platform refuses it, AdminProbeError when the admin route answers
 * otherwise; a platform that cannot be reached throws as fetch does.
 */
export async function authenticatedClient(
  baseUrl: string,
  auth: AdminAuthOptions,
  fetchImpl?: typeof fetch,
  options: { timeoutMs?: number } = {},
): Promise<AuthenticatedClient> {
  const obtained = await obtainAdminToken(baseUrl, auth, fetchImpl);
  const client = new HttpClient({ baseUrl, fetch: fetchImpl, timeoutMs: options.timeoutMs, token: obtained.token });
  const probe = await client.get(ADMIN_PROBE_PATH);
  if (probe.status === 401 || probe.status === 403) {
    throw new AdminTokenRefusedError(`the platform refused the admin token (${obtained.source}): ${describeResponse('GET', '/v1/admin/products', probe)}`);
  }
  if (!probe.ok) throw new AdminProbeError(ADMIN_PROBE_PATH, probe);
  return { client, source: obtained.source };
}

export async function obtainAdminToken(baseUrl: string, options: AdminAuthOptions, fetchImpl?: typeof fetch): Promise<AdminToken> {
  if (options.token) return { token: options.token, source: 'the given token' };
  if (options.email || options.password) {
    if (!options.email || !options.password) throw new AdminAuthError('give both an email and a password to sign in');
    const client = new HttpClient({ baseUrl, fetch: fetchImpl });
    const result = await client.post<{ accessToken?: string; customer?: { role?: string } }>('/v1/auth/login', { email: options.email, password: options.password });
    if (!result.ok || !result.body.accessToken) throw new AdminAuthError(`signing in as ${options.email} failed: ${describeResponse('POST', '/v1/auth/login', result)}`);
    if (result.body.customer?.role && result.body.customer.role !== 'admin') throw new AdminAuthError(`${options.email} is not an admin (role ${result.body.customer.role})`);
    return { token: result.body.accessToken, source: `signed in as ${options.email}` };
  }
  if (options.signingKeys) {
    const spec = options.signingKeys === 'dev' ? DEVELOPMENT_SIGNING_KEYS : options.signingKeys;
    let tokens;
    try {
      tokens = createTokenService(parseKeyring(spec), 900);
    } catch (error) {
      throw new AdminAuthError(`the signing keyring is not usable: ${(error as Error).message}`);
    }
    const token = await tokens.sign({ id: randomUUID(), role: 'admin', email: 'fusion-cli@fusioncommerce.invalid' }, 900);
    const kid = spec.split(',')[0]?.split(':')[0];
    return { token, source: `signed with key "${kid}" (15 minutes)` };
  }
  throw new AdminAuthError('no admin credentials: pass --token, --email and --password, or --signing-keys (or set FUSION_TOKEN, FUSION_ADMIN_EMAIL/FUSION_ADMIN_PASSWORD, AUTH_SIGNING_KEYS)');
}
