/** Builders for the customers suites: an app per file, accounts and sessions made through the API. */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { createTestDatabase, buildTestApp, type Backend, type TestApp } from '@fusioncommerce/platform/testing';
import { createCustomersService, type CustomersServiceOptions } from '../src/service.ts';

export const ADMIN = { email: 'owner@shop.example', password: 'owner-password-for-tests' };

/** Cheap argon2id for speed; the algorithm and code path are the production ones. */
export const TEST_HASHING = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export interface Clock {
  now: () => Date;
  advance(ms: number): void;
}

export function testClock(): Clock {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => (offset += ms) };
}

export interface CustomersTestApp extends TestApp {
  clock: Clock;
}

export async function buildCustomersApp(backend: Backend, options: CustomersServiceOptions = {}): Promise<CustomersTestApp> {
  const clock = testClock();
  const service = createCustomersService({
    env: { NODE_ENV: 'test', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
    hashingCost: TEST_HASHING,
    now: clock.now,
    ...options,
  });
  const t = await buildTestApp([service], await createTestDatabase(backend));
  return Object.assign(t, { clock });
}

export async function closeApp(t: TestApp): Promise<void> {
  await t.close();
  await t.db.close();
}

let sequence = 0;
export const uniqueEmail = (prefix = 'shopper'): string => `${prefix}-${Date.now().toString(36)}${(sequence++).toString(36)}${randomBytes(2).toString('hex')}@example.test`;

/** A distinct client address per caller, so tests do not share per-IP budgets. */
export const uniqueIp = (): string => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${(sequence++ % 250) + 1}`;

export interface Session {
  accessToken: string;
  refreshToken: string;
  customer: { id: string; email: string; role: string; emailVerified: boolean };
  auth: { authorization: string };
}

export async function register(t: TestApp, body: { email?: string; password?: string; name?: string } = {}): Promise<{ email: string; password: string }> {
  const email = body.email ?? uniqueEmail();
  const password = body.password ?? 'correct horse battery staple';
  const res = await t.app.inject({ method: 'POST', url: '/v1/auth/register', remoteAddress: uniqueIp(), payload: { email, password, ...(body.name ? { name: body.name } : {}) } });
  expect(res.statusCode, res.body).toBe(202);
  return { email, password };
}

export async function signIn(t: TestApp, email: string, password: string): Promise<Session> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', remoteAddress: uniqueIp(), payload: { email, password } });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as Omit<Session, 'auth'>;
  return { ...body, auth: { authorization: `Bearer ${body.accessToken}` } };
}

export async function newCustomer(t: TestApp, name?: string): Promise<Session & { email: string; password: string }> {
  const creds = await register(t, { name });
  return { ...(await signIn(t, creds.email, creds.password)), ...creds };
}

export async function signInAdmin(t: TestApp): Promise<Session> {
  return signIn(t, ADMIN.email, ADMIN.password);
}

export interface OutboxEvent {
  type: string;
  subject: string;
  data: Record<string, unknown>;
}

/** Events recorded in the customers outbox, oldest first, optionally of one type. */
export async function events(t: TestApp, type?: string): Promise<OutboxEvent[]> {
  const query = t.db.knex('customers.outbox').orderBy('position', 'asc').select('type', 'subject', 'data');
  if (type) void query.where({ type });
  const rows = (await query) as { type: string; subject: string; data: unknown }[];
  return rows.map((r) => ({ type: r.type, subject: r.subject, data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown> }));
}

/** The token in the latest mail event of this type for this email. */
export async function mailedToken(t: TestApp, type: string, email: string): Promise<string> {
  const mails = (await events(t, type)).filter((e) => e.data.email === email);
  const token = mails.at(-1)?.data.token;
  expect(typeof token, `no ${type} event for ${email}`).toBe('string');
  return token as string;
}
