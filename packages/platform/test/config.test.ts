import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { ConfigError, defaultDataDir, loadConfig, loadProcessConfig, DEVELOPMENT_SIGNING_KEYS } from '../src/index.ts';

const Schema = Type.Object({
  PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  LOG_LEVEL: Type.Optional(Type.Enum(['info', 'debug'])),
  SHOP_NAME: Type.String({ minLength: 1 }),
  FEATURE_ON: Type.Optional(Type.Boolean()),
});

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration from the environment', () => {
  it('when values are valid, then they come back typed', () => {
    expect(loadConfig(Schema, { PORT: '3000', SHOP_NAME: 'Shop', FEATURE_ON: 'true', UNRELATED: 'x' })).toEqual({ PORT: 3000, SHOP_NAME: 'Shop', FEATURE_ON: true });
  });

  it('when a required variable is missing, then one line names it', () => {
    expect(message(() => loadConfig(Schema, {}))).toBe('Invalid configuration: SHOP_NAME is required but not set.');
  });

  it('when a number is not a number, then the line names the variable and the value', () => {
    const line = message(() => loadConfig(Schema, { SHOP_NAME: 'x', PORT: 'eighty' }));
    expect(line).toContain('PORT');
    expect(line).toContain('"eighty"');
    expect(line).not.toContain('\n');
    expect(message(() => loadConfig(Schema, { SHOP_NAME: 'x', PORT: '70000' }))).toContain('PORT');
  });

  it('when a value is not one of the allowed ones, then the allowed ones are listed', () => {
    expect(message(() => loadConfig(Schema, { SHOP_NAME: 'x', LOG_LEVEL: 'loud' }))).toContain('must be one of info, debug');
  });

  it('when a database URL with a password is wrong, then the password is not echoed', () => {
    const line = message(() => loadProcessConfig({ DATABASE_URL: 'mysql://user:hunter2@db/x' }));
    expect(line).toContain('DATABASE_URL');
    expect(line).not.toContain('hunter2');
  });

  it('when production starts with development or missing secrets, then it refuses and names each', () => {
    const line = message(() => loadProcessConfig({ NODE_ENV: 'production', AUTH_SIGNING_KEYS: DEVELOPMENT_SIGNING_KEYS }));
    expect(line).toMatch(/Refusing to start in production/);
    expect(line).toContain('AUTH_SIGNING_KEYS');
    expect(line).toContain('DATABASE_URL');
    expect(() =>
      loadProcessConfig({
        NODE_ENV: 'production',
        AUTH_SIGNING_KEYS: 'k1:a-real-production-secret-of-enough-length-123',
        DATABASE_URL: 'postgres://u:p@db/shop',
        ADMIN_PASSWORD: 'a-long-and-real-admin-password',
        ADMIN_EMAIL: 'owner@shop.example',
      }),
    ).not.toThrow();
  });
});

describe('the embedded data directory', () => {
  const repo = fileURLToPath(new URL('../../..', import.meta.url));

  it('when nothing says otherwise, then it is .data at the repository root, from the sources and from the build alike', () => {
    expect(defaultDataDir).toBe(join(repo, '.data'));
    // `npm install` builds the platform; `npm start` runs that build, three directories deeper.
    const built = execFileSync(process.execPath, ['--input-type=module', '-e', "console.log((await import('./packages/platform/dist/src/db/database.js')).defaultDataDir)"], {
      cwd: repo,
      env: { ...process.env, NODE_OPTIONS: '' },
      encoding: 'utf8',
    });
    expect(built.trim()).toBe(join(repo, '.data'));
  });
});
