import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEVELOPMENT_ADMIN_PASSWORD,
  DEVELOPMENT_SIGNING_KEYS,
  generateSigningKey,
  keyIds,
  loadProcessConfig,
  removeSigningKey,
  rotateKeyring,
} from '@fusioncommerce/platform';
import { buildTestApp, createTestDatabase } from '@fusioncommerce/platform/testing';
import { createCustomersService } from '../src/service.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const REAL_KEYS = 'prod1:a-real-production-signing-secret-0123456789';
const REAL = { NODE_ENV: 'production', AUTH_SIGNING_KEYS: REAL_KEYS, DATABASE_URL: 'postgres://shop:pw@db/shop', ADMIN_PASSWORD: 'a-long-real-admin-password' };

function refusal(env: Record<string, string>, running?: string[]): string {
  try {
    loadProcessConfig(env, undefined, running);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  return '';
}

/** Runs an entry point as production would and returns its exit code and output. */
function run(entry: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=fusion-source', '--import', 'tsx', entry], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('production refuses missing and default secrets', () => {
  it('when nothing is set, then it names every missing secret in one line', () => {
    const line = refusal({ NODE_ENV: 'production' });
    expect(line).toMatch(/^Refusing to start in production: set real values for /);
    for (const name of ['AUTH_SIGNING_KEYS', 'DATABASE_URL', 'ADMIN_PASSWORD']) expect(line).toContain(name);
    expect(line).not.toContain('STRIPE');
  });

  it('when secrets are left at their development defaults or placeholders, then each is named', () => {
    const line = refusal({ ...REAL, AUTH_SIGNING_KEYS: DEVELOPMENT_SIGNING_KEYS, ADMIN_PASSWORD: DEVELOPMENT_ADMIN_PASSWORD });
    expect(line).toContain('AUTH_SIGNING_KEYS');
    expect(line).toContain('ADMIN_PASSWORD');
    expect(line).not.toContain('DATABASE_URL');
    expect(refusal({ ...REAL, ADMIN_PASSWORD: 'changeme-changeme' })).toContain('ADMIN_PASSWORD');
  });

  it('when the Stripe provider is chosen, then its API key and webhook secret are required too', () => {
    const line = refusal({ ...REAL, PAYMENTS_PROVIDER: 'stripe' });
    expect(line).toContain('STRIPE_SECRET_KEY');
    expect(line).toContain('STRIPE_WEBHOOK_SECRET');
    expect(() => loadProcessConfig({ ...REAL, PAYMENTS_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_live_x', STRIPE_WEBHOOK_SECRET: 'whsec_x' })).not.toThrow();
  });

  it('when a process runs only services that do not need a secret, then it is not asked for it', () => {
    const catalogOnly = { NODE_ENV: 'production', AUTH_SIGNING_KEYS: REAL_KEYS, DATABASE_URL: REAL.DATABASE_URL };
    expect(() => loadProcessConfig(catalogOnly, undefined, ['catalog'])).not.toThrow();
    expect(refusal(catalogOnly, ['customers'])).toContain('ADMIN_PASSWORD');
    expect(() => loadProcessConfig(REAL)).not.toThrow();
  });

  it('when the customers service is mounted in production with the development admin password, then it refuses to mount', async () => {
    const db = await createTestDatabase('pglite');
    const service = createCustomersService({ env: { ...REAL, ADMIN_PASSWORD: DEVELOPMENT_ADMIN_PASSWORD } });
    await expect(buildTestApp([service], db)).rejects.toThrow(/ADMIN_PASSWORD/);
    await db.close();
  });

  it('when the gateway or the customers service is started with NODE_ENV=production and default secrets, then it exits 1 naming them', async () => {
    const gateway = await run('apps/gateway/src/main.ts', { NODE_ENV: 'production', AUTH_SIGNING_KEYS: DEVELOPMENT_SIGNING_KEYS, PORT: '0' });
    expect(gateway.code).toBe(1);
    expect(gateway.output).toMatch(/gateway: Refusing to start in production: .*AUTH_SIGNING_KEYS.*ADMIN_PASSWORD/);
    expect(gateway.output).not.toContain('listening');

    const customers = await run('services/customers/src/server.ts', { NODE_ENV: 'production', AUTH_SIGNING_KEYS: REAL_KEYS, DATABASE_URL: REAL.DATABASE_URL, PORT: '0' });
    expect(customers.code).toBe(1);
    expect(customers.output).toContain('customers: Refusing to start in production: set real values for ADMIN_PASSWORD');
  });
});

describe('signing-key rotation helpers', () => {
  it('when a key is rotated in and the old one later removed, then the keyring moves through the documented steps', () => {
    const first = generateSigningKey('k1');
    expect(first).toMatch(/^k1:[A-Za-z0-9_-]{43}$/);
    const during = rotateKeyring(first, generateSigningKey('k2'));
    expect(keyIds(during)).toEqual(['k2', 'k1']);
    const next = rotateKeyring(during, generateSigningKey('k3'));
    expect(keyIds(next)).toEqual(['k3', 'k2']);
    expect(keyIds(removeSigningKey(next, 'k2'))).toEqual(['k3']);
    // Emergency: a leaked signing key is replaced and dropped in one step.
    expect(keyIds(rotateKeyring(next, generateSigningKey('k4'), 0))).toEqual(['k4']);
    expect(() => removeSigningKey(next, 'k3')).toThrow(/signs new tokens/);
    expect(() => removeSigningKey(next, 'nope')).toThrow(/not in the keyring/);
    expect(() => rotateKeyring(next, generateSigningKey('k3'))).toThrow(/already/);
    expect(() => generateSigningKey('bad kid')).toThrow();
  });
});
