/**
 * The authorization matrix: every /v1 route of every service the gateway
 * mounts, tried as anonymous, as a customer, as another customer and as an
 * admin. Each route needs an entry below with its policy; a new route without
 * one fails "covers every route", and a route without a declared policy does
 * not even register (MissingPolicyError).
 *
 * Adding a route: add `'METHOD /v1/path': { policy }`. Give `request` when the
 * default (path params filled with fresh UUIDs, `{}` as the body) does not
 * reach the route's handler, `owned: true` for customer-owned resources (the
 * other customer must get 404), and `ok` for the exact success status.
 */
import type { InjectOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_ADMIN_EMAIL, DEVELOPMENT_ADMIN_PASSWORD, MissingPolicyError, openDatabase, type AccessPolicy, type Database } from '@fusioncommerce/platform';
import { buildGateway, type Gateway } from '../apps/gateway/src/gateway.ts';
import { services } from '../apps/gateway/src/services.ts';

type Actor = 'anonymous' | 'customer' | 'otherCustomer' | 'admin';
const ACTORS: Actor[] = ['anonymous', 'customer', 'otherCustomer', 'admin'];

interface Account {
  id: string;
  email: string;
  password: string;
  accessToken: string;
}

interface Ctx {
  gateway: Gateway;
  /** The customer who owns the resources `owned` routes point at. */
  customer: Account;
  otherCustomer: Account;
  admin: Account;
  fresh(): Promise<Account>;
  signIn(email: string, password: string): Promise<{ accessToken: string; refreshToken: string }>;
  mailedToken(type: string, email: string): Promise<string>;
  addressOf(account: Account): Promise<string>;
}

interface RouteCase {
  policy: AccessPolicy;
  /** Customer-owned: addressed to `ctx.customer`; the other customer gets 404, as for an id that does not exist. */
  owned?: boolean;
  request?: (ctx: Ctx, actor: Actor) => Promise<Partial<InjectOptions>> | Partial<InjectOptions>;
  /** The exact status when allowed (per actor if it differs); otherwise anything but 401, 403 and 5xx. */
  ok?: number | Partial<Record<Actor, number>>;
}

/** A cart owned by `ctx.customer`. */
async function cartOf(ctx: Ctx): Promise<string> {
  const res = await ctx.gateway.app.inject({ method: 'POST', url: '/v1/carts', headers: { authorization: `Bearer ${ctx.customer.accessToken}` } });
  return (res.json() as { id: string }).id;
}

const uniqueEmail = () => `matrix-${randomUUID().slice(0, 8)}@example.test`;
const mine = (ctx: Ctx) => `/v1/customers/${ctx.customer.id}`;

const MATRIX: Record<string, RouteCase> = {
  // Gateway
  'GET /v1/health': { policy: 'public', ok: 200 },

  // Catalog
  'GET /v1/products': { policy: 'public', ok: 200 },
  'GET /v1/products/:ref': { policy: 'public', ok: 404 },
  'GET /v1/variants': { policy: 'public' },
  'GET /v1/categories': { policy: 'public', ok: 200 },
  'GET /v1/categories/:ref': { policy: 'public', ok: 404 },
  'GET /v1/admin/products': { policy: 'admin', ok: 200 },
  'GET /v1/admin/products/:id': { policy: 'admin', ok: 404 },
  'POST /v1/products': { policy: 'admin', request: () => ({ payload: { title: `Matrix ${randomUUID()}` } }), ok: 201 },
  'PATCH /v1/products/:id': { policy: 'admin' },
  'POST /v1/products/:id/publish': { policy: 'admin' },
  'POST /v1/products/:id/unpublish': { policy: 'admin' },
  'POST /v1/products/:id/archive': { policy: 'admin' },
  'POST /v1/products/:id/variants': { policy: 'admin' },
  'PATCH /v1/products/:id/variants/:variantId': { policy: 'admin' },
  'DELETE /v1/products/:id/variants/:variantId': { policy: 'admin' },
  'POST /v1/categories': { policy: 'admin', request: () => ({ payload: { name: `Matrix ${randomUUID().slice(0, 8)}` } }), ok: 201 },
  'PATCH /v1/categories/:id': { policy: 'admin', request: () => ({ payload: { name: 'Renamed' } }), ok: 404 },
  'DELETE /v1/categories/:id': { policy: 'admin', ok: 404 },

  // Events (admin console)
  'GET /v1/admin/events': { policy: 'admin' },
  'GET /v1/admin/dead-letters': { policy: 'admin' },
  'GET /v1/admin/dead-letters/:id': { policy: 'admin' },
  'POST /v1/admin/dead-letters/:id/replay': { policy: 'admin' },

  // Customers: sign-up and sign-in
  'POST /v1/auth/register': { policy: 'public', request: () => ({ payload: { email: uniqueEmail(), password: 'matrix password 123' } }), ok: 202 },
  'POST /v1/auth/login': { policy: 'public', request: (ctx) => ({ payload: { email: ctx.customer.email, password: ctx.customer.password } }), ok: 200 },
  'POST /v1/auth/refresh': {
    policy: 'public',
    request: async (ctx) => ({ payload: { refreshToken: (await ctx.signIn(ctx.customer.email, ctx.customer.password)).refreshToken } }),
    ok: 200,
  },
  'POST /v1/auth/logout': {
    policy: 'public',
    request: async (ctx) => ({ payload: { refreshToken: (await ctx.signIn(ctx.customer.email, ctx.customer.password)).refreshToken } }),
    ok: 204,
  },
  'POST /v1/auth/password-reset': { policy: 'public', request: () => ({ payload: { email: uniqueEmail() } }), ok: 202 },
  'POST /v1/auth/password-reset/confirm': {
    policy: 'public',
    request: async (ctx) => {
      const someone = await ctx.fresh();
      await ctx.gateway.app.inject({ method: 'POST', url: '/v1/auth/password-reset', payload: { email: someone.email } });
      return { payload: { token: await ctx.mailedToken('customers.password_reset.requested', someone.email), password: 'matrix new password' } };
    },
    ok: 204,
  },
  // Acts on the caller's own account; a wrong current password shows the caller got past the guard.
  'POST /v1/auth/password': { policy: 'customer', request: () => ({ payload: { currentPassword: 'not the password', newPassword: 'matrix new password' } }), ok: 400 },
  'POST /v1/auth/email-verification': { policy: 'customer', request: () => ({ payload: undefined }), ok: { customer: 202, otherCustomer: 202, admin: 409 } },
  'POST /v1/auth/email-verification/confirm': {
    policy: 'public',
    request: async (ctx) => {
      const someone = await ctx.fresh();
      return { payload: { token: await ctx.mailedToken('customers.email_verification.requested', someone.email) } };
    },
    ok: 204,
  },
  'POST /v1/auth/invitations/accept': {
    policy: 'public',
    request: async (ctx) => {
      const email = uniqueEmail();
      const invited = await ctx.gateway.app.inject({
        method: 'POST',
        url: '/v1/customers/invitations',
        headers: { authorization: `Bearer ${ctx.admin.accessToken}` },
        payload: { email },
      });
      expect(invited.statusCode).toBe(201);
      return { payload: { token: await ctx.mailedToken('customers.invitation.created', email), password: 'matrix invited password' } };
    },
    ok: 201,
  },

  // Customers: a customer's own data
  'GET /v1/customers/:customerId': { policy: 'customer', owned: true, request: (ctx) => ({ url: mine(ctx) }), ok: 200 },
  'PATCH /v1/customers/:customerId': { policy: 'customer', owned: true, request: (ctx) => ({ url: mine(ctx), payload: { name: 'Matrix' } }), ok: 200 },
  'DELETE /v1/customers/:customerId/sessions': { policy: 'customer', owned: true, request: (ctx) => ({ url: `${mine(ctx)}/sessions` }), ok: 204 },
  'GET /v1/customers/:customerId/addresses': { policy: 'customer', owned: true, request: (ctx) => ({ url: `${mine(ctx)}/addresses` }), ok: 200 },
  'POST /v1/customers/:customerId/addresses': {
    policy: 'customer',
    owned: true,
    request: (ctx) => ({ url: `${mine(ctx)}/addresses`, payload: { name: 'M', line1: '1 Way', city: 'Town', postalCode: '1000', country: 'NL' } }),
    ok: 201,
  },
  'GET /v1/customers/:customerId/addresses/:addressId': {
    policy: 'customer',
    owned: true,
    request: async (ctx) => ({ url: `${mine(ctx)}/addresses/${await ctx.addressOf(ctx.customer)}` }),
    ok: 200,
  },
  'PATCH /v1/customers/:customerId/addresses/:addressId': {
    policy: 'customer',
    owned: true,
    request: async (ctx) => ({ url: `${mine(ctx)}/addresses/${await ctx.addressOf(ctx.customer)}`, payload: { city: 'Elsewhere' } }),
    ok: 200,
  },
  'DELETE /v1/customers/:customerId/addresses/:addressId': {
    policy: 'customer',
    owned: true,
    request: async (ctx) => ({ url: `${mine(ctx)}/addresses/${await ctx.addressOf(ctx.customer)}` }),
    ok: 204,
  },

  // Customers: administration
  'GET /v1/customers': { policy: 'admin', ok: 200 },
  'POST /v1/customers/invitations': { policy: 'admin', request: () => ({ payload: { email: uniqueEmail() } }), ok: 201 },
  'POST /v1/customers/:customerId/role': { policy: 'admin', request: (ctx) => ({ url: `${mine(ctx)}/role`, payload: { role: 'customer' } }), ok: 200 },

  // Payments: the checkout acts for guests too, so these are public; a payment is only reachable with its client
  // secret (or as an admin), so an unknown id is a 404 for everyone. Capture, void, refund and the lists are admin.
  // The 400s are the missing Idempotency-Key (the matrix sends no extra headers): the caller got past the guard.
  'POST /v1/payments': { policy: 'public', request: () => ({ payload: { reference: { kind: 'order', id: randomUUID() }, amount: { amount: 100, currency: 'USD' } } }), ok: 400 },
  'GET /v1/payments/:id': { policy: 'public', ok: 404 },
  'POST /v1/payments/:id/authorize': { policy: 'public', request: () => ({ payload: { paymentMethod: '4242424242424242' } }), ok: 400 },
  'POST /v1/payments/:id/confirm': { policy: 'public', ok: 404 },
  'POST /v1/payments/webhooks/stripe': { policy: 'public', ok: 404 },
  'GET /v1/admin/payments': { policy: 'admin', ok: 200 },
  'GET /v1/admin/payments/:id': { policy: 'admin', ok: 404 },
  'POST /v1/payments/:id/capture': { policy: 'admin', ok: 400 },
  'POST /v1/payments/:id/void': { policy: 'admin', ok: 404 },
  'POST /v1/payments/:id/refunds': { policy: 'admin', request: () => ({ payload: { reason: 'matrix' } }), ok: 400 },

  // Inventory: shoppers read availability; everything else is staff or a trusted service (orders, group buying)
  // holding an admin-role service token. Reservations are not for shoppers: one could hold all the stock.
  'GET /v1/inventory/availability': { policy: 'public', request: () => ({ url: '/v1/inventory/availability?skus=MATRIX-1' }), ok: 200 },
  'GET /v1/inventory/locations': { policy: 'admin', ok: 200 },
  'POST /v1/inventory/locations': { policy: 'admin', request: () => ({ payload: { code: `m-${randomUUID().slice(0, 8)}`, name: 'Matrix' } }), ok: 201 },
  'GET /v1/inventory/locations/:id': { policy: 'admin', ok: 404 },
  'PATCH /v1/inventory/locations/:id': { policy: 'admin', request: () => ({ payload: { name: 'Matrix' } }), ok: 404 },
  'DELETE /v1/inventory/locations/:id': { policy: 'admin', ok: 404 },
  'GET /v1/inventory/items': { policy: 'admin', ok: 200 },
  'POST /v1/inventory/items': { policy: 'admin', request: () => ({ payload: { sku: `MATRIX-${randomUUID()}` } }), ok: 201 },
  'GET /v1/inventory/items/:sku': { policy: 'admin', ok: 404 },
  'PATCH /v1/inventory/items/:sku': { policy: 'admin', request: () => ({ payload: { lowStockThreshold: 1 } }), ok: 404 },
  'POST /v1/inventory/items/:sku/receipts': { policy: 'admin', request: () => ({ payload: { quantity: 1 } }), ok: 404 },
  'POST /v1/inventory/items/:sku/adjustments': { policy: 'admin', request: () => ({ payload: { delta: 1, reason: 'matrix' } }), ok: 404 },
  'GET /v1/inventory/levels': { policy: 'admin', ok: 200 },
  'GET /v1/inventory/movements': { policy: 'admin', ok: 200 },
  'GET /v1/inventory/reservations': { policy: 'admin', ok: 200 },
  'POST /v1/inventory/reservations': {
    policy: 'admin',
    request: () => ({ payload: { reference: { kind: 'order', id: randomUUID() }, lines: [{ sku: `MATRIX-${randomUUID()}`, quantity: 1 }] } }),
    ok: 404,
  },
  'GET /v1/inventory/reservations/:id': { policy: 'admin', ok: 404 },
  'GET /v1/inventory/reservations/by-reference/:kind/:id': { policy: 'admin', request: () => ({ url: `/v1/inventory/reservations/by-reference/order/${randomUUID()}` }), ok: 404 },
  'POST /v1/inventory/reservations/by-reference/:kind/:id/commit': {
    policy: 'admin',
    request: () => ({ url: `/v1/inventory/reservations/by-reference/order/${randomUUID()}/commit` }),
    ok: 404,
  },
  'POST /v1/inventory/reservations/by-reference/:kind/:id/release': {
    policy: 'admin',
    request: () => ({ url: `/v1/inventory/reservations/by-reference/order/${randomUUID()}/release` }),
    ok: 404,
  },
  'POST /v1/inventory/reservations/by-reference/:kind/:id/restock': {
    policy: 'admin',
    request: () => ({ url: `/v1/inventory/reservations/by-reference/order/${randomUUID()}/restock` }),
    ok: 404,
  },

  // Group buying: shoppers read live deals and groups by share code; taking a seat needs an account (no guests);
  // a participation answers only to its customer and admins. Deals are written by admins.
  'POST /v1/group-deals': { policy: 'admin', ok: 400 },
  'GET /v1/group-deals': { policy: 'public', ok: 200 },
  'GET /v1/group-deals/:id': { policy: 'public', ok: 404 },
  'POST /v1/group-deals/:id/archive': { policy: 'admin', ok: 404 },
  'GET /v1/group-deals/:id/groups': { policy: 'public', ok: 404 },
  'POST /v1/groups': { policy: 'customer', ok: 400 },
  'GET /v1/groups': { policy: 'admin', ok: 200 },
  'GET /v1/groups/participations': { policy: 'customer', ok: 200 },
  'GET /v1/groups/participations/:id': { policy: 'customer', ok: 404 },
  'POST /v1/groups/participations/:id/leave': { policy: 'customer', ok: 404 },
  'GET /v1/groups/:code': { policy: 'public', request: () => ({ url: '/v1/groups/ABCDEFGH' }), ok: 404 },
  'POST /v1/groups/:code/join': {
    policy: 'customer',
    request: () => ({
      url: '/v1/groups/ABCDEFGH/join',
      payload: { shippingAddress: { name: 'M', line1: '1 Way', city: 'Town', postalCode: '1000', country: 'NL' }, payment: { method: '4242424242424242' } },
    }),
    ok: 404,
  },

  // Orders: carts (a customer's cart answers only to them and admins; a guest cart to whoever holds its id) and checkout
  'POST /v1/carts': { policy: 'public', ok: 201 },
  'GET /v1/carts/mine': { policy: 'customer' },
  'GET /v1/carts/:id': { policy: 'public', owned: true, request: async (ctx) => ({ url: `/v1/carts/${await cartOf(ctx)}` }), ok: { anonymous: 404, customer: 200, admin: 200 } },
  'POST /v1/carts/:id/lines': {
    policy: 'public',
    owned: true,
    request: async (ctx) => ({ url: `/v1/carts/${await cartOf(ctx)}/lines`, payload: { sku: 'MATRIX-NOT-FOR-SALE', quantity: 1 } }),
    ok: { anonymous: 404, customer: 400, admin: 400 },
  },
  'PATCH /v1/carts/:id/lines/:lineId': {
    policy: 'public',
    owned: true,
    request: async (ctx) => ({ url: `/v1/carts/${await cartOf(ctx)}/lines/${randomUUID()}`, payload: { quantity: 2 } }),
    ok: 404,
  },
  'DELETE /v1/carts/:id/lines/:lineId': { policy: 'public', owned: true, request: async (ctx) => ({ url: `/v1/carts/${await cartOf(ctx)}/lines/${randomUUID()}` }), ok: 404 },
  'POST /v1/carts/:id/merge': { policy: 'customer', ok: 404 },
  'POST /v1/checkout': { policy: 'public', ok: 400 },
  'GET /v1/orders': { policy: 'customer', ok: 200 },
  'GET /v1/orders/:id': { policy: 'public', ok: 404 },
  'POST /v1/orders/:id/cancel': { policy: 'customer', ok: 404 },
  'GET /v1/admin/orders': { policy: 'admin', ok: 200 },
  'GET /v1/admin/orders/:id': { policy: 'admin', ok: 404 },
  'GET /v1/admin/orders/summary': { policy: 'admin', ok: 200 },
  'POST /v1/admin/orders/:id/cancel': { policy: 'admin', ok: 404 },
  'POST /v1/admin/orders/:id/refund': { policy: 'admin', request: () => ({ payload: { reason: 'matrix' } }), ok: 404 },
  'PUT /v1/carts/:id/shipping': {
    policy: 'public',
    owned: true,
    request: async (ctx) => ({ url: `/v1/carts/${await cartOf(ctx)}/shipping`, payload: { country: 'US' } }),
    ok: { anonymous: 404, customer: 200, admin: 200 },
  },

  // Shipping: anyone gets quotes; options and shipment handling are staff; customers follow their own shipments
  // (another's is a 404), and a guest order's shipments answer to whoever holds the order id, as the order does.
  'GET /v1/shipping-options': { policy: 'public', request: () => ({ url: '/v1/shipping-options?country=US&currency=USD&subtotal=1000' }), ok: 200 },
  'GET /v1/admin/shipping-options': { policy: 'admin', ok: 200 },
  'GET /v1/admin/shipping-options/:id': { policy: 'admin', ok: 404 },
  'POST /v1/shipping-options': {
    policy: 'admin',
    request: () => ({ payload: { name: `Matrix ${randomUUID().slice(0, 8)}`, currency: 'USD', countries: ['AQ'], rate: { type: 'flat', amount: 100 } } }),
    ok: 201,
  },
  'PATCH /v1/shipping-options/:id': { policy: 'admin', request: () => ({ payload: { name: 'Matrix', version: 1 } }), ok: 404 },
  'POST /v1/shipping-options/:id/archive': { policy: 'admin', request: () => ({ payload: { version: 1 } }), ok: 404 },
  'GET /v1/shipments': { policy: 'admin', ok: 200 },
  'GET /v1/shipments/mine': { policy: 'customer', ok: 200 },
  'GET /v1/shipments/by-order/:orderId': { policy: 'public', ok: 200 },
  'GET /v1/shipments/:id': { policy: 'customer', ok: 404 },
  'POST /v1/shipments/:id/pack': { policy: 'admin', ok: 404 },
  'POST /v1/shipments/:id/ship': { policy: 'admin', request: () => ({ payload: { trackingNumber: 'MATRIX-1' } }), ok: 404 },
  'POST /v1/shipments/:id/deliver': { policy: 'admin', ok: 404 },

  // Webhooks: the shop's automation is staff business; every route is admin, an unknown id a 404.
  'POST /v1/webhook-subscriptions': {
    policy: 'admin',
    request: () => ({ payload: { url: `https://hooks.example.com/${randomUUID().slice(0, 8)}`, eventTypes: ['payments.payment.refunded'] } }),
    ok: 201,
  },
  'GET /v1/webhook-subscriptions': { policy: 'admin', ok: 200 },
  'GET /v1/webhook-subscriptions/:id': { policy: 'admin', ok: 404 },
  'PATCH /v1/webhook-subscriptions/:id': { policy: 'admin', request: () => ({ payload: { active: false, version: 1 } }), ok: 404 },
  'DELETE /v1/webhook-subscriptions/:id': { policy: 'admin', ok: 404 },
  'POST /v1/webhook-subscriptions/:id/rotate-secret': { policy: 'admin', ok: 404 },
  'POST /v1/webhook-subscriptions/:id/test': { policy: 'admin', ok: 404 },
  'GET /v1/webhook-subscriptions/:id/deliveries': { policy: 'admin', ok: 404 },
  'GET /v1/webhook-deliveries/:id': { policy: 'admin', ok: 404 },
  'POST /v1/webhook-deliveries/:id/replay': { policy: 'admin', ok: 404 },
};

function expectedStatus(route: RouteCase, actor: Actor): number | 'allowed' {
  if (actor === 'anonymous' && route.policy !== 'public') return 401;
  if (route.policy === 'admin' && actor !== 'admin') return 403;
  if (route.owned && actor === 'otherCustomer') return 404;
  const ok = typeof route.ok === 'object' ? route.ok[actor] : route.ok;
  return ok ?? 'allowed';
}

const fillParams = (url: string) => url.replace(/:[A-Za-z]+/g, () => randomUUID()).replace(/\*$/, 'x');

describe('the authorization matrix of every route the gateway mounts', () => {
  let db: Database;
  let ctx: Ctx;

  beforeAll(async () => {
    db = openDatabase({ inMemory: true });
    const gateway = await buildGateway({ config: {}, db, logger: false, demoData: false });
    const inject = gateway.app.inject.bind(gateway.app);
    const signIn = async (email: string, password: string) => {
      const res = await inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { accessToken: string; refreshToken: string; customer: { id: string } };
    };
    const fresh = async (): Promise<Account> => {
      const email = uniqueEmail();
      const password = 'matrix password 123';
      expect((await inject({ method: 'POST', url: '/v1/auth/register', payload: { email, password } })).statusCode).toBe(202);
      const session = await signIn(email, password);
      return { id: session.customer.id, email, password, accessToken: session.accessToken };
    };
    const adminEmail = process.env.ADMIN_EMAIL ?? DEVELOPMENT_ADMIN_EMAIL;
    const adminPassword = process.env.ADMIN_PASSWORD ?? DEVELOPMENT_ADMIN_PASSWORD;
    const admin = await signIn(adminEmail, adminPassword);
    ctx = {
      gateway,
      customer: await fresh(),
      otherCustomer: await fresh(),
      admin: { id: admin.customer.id, email: adminEmail, password: adminPassword, accessToken: admin.accessToken },
      fresh,
      signIn,
      async mailedToken(type, email) {
        const rows = (await db.knex('customers.outbox').where({ type }).orderBy('position', 'desc').select('data')) as { data: unknown }[];
        const found = rows.map((r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as { email: string; token: string }).find((d) => d.email === email);
        expect(found, `${type} for ${email}`).toBeDefined();
        return found?.token as string;
      },
      async addressOf(account) {
        const res = await inject({
          method: 'POST',
          url: '/v1/customers/me/addresses',
          headers: { authorization: `Bearer ${account.accessToken}` },
          payload: { name: 'M', line1: '1 Way', city: 'Town', postalCode: '1000', country: 'NL' },
        });
        expect(res.statusCode, res.body).toBe(201);
        return (res.json() as { id: string }).id;
      },
    };
  });
  afterAll(async () => {
    await ctx?.gateway.app.close();
    await db.close();
  });

  it('covers every /v1 route the gateway registered, each with the policy it declares', () => {
    const registered = ctx.gateway.app.routePolicies.filter((r) => r.url.startsWith('/v1/'));
    const declared = Object.fromEntries(registered.map((r) => [`${r.method} ${r.url}`, r.auth]));
    const missing = Object.keys(declared).filter((key) => !(key in MATRIX));
    expect(missing, 'routes with no expectation in the authorization matrix').toEqual([]);
    const stale = Object.keys(MATRIX).filter((key) => !(key in declared));
    expect(stale, 'matrix entries for routes that no longer exist').toEqual([]);
    for (const [key, route] of Object.entries(MATRIX)) expect(`${key} ${declared[key]}`).toBe(`${key} ${route.policy}`);
  });

  it('when a service adds a /v1 route without a policy, then the gateway refuses to start', async () => {
    const sneaky = {
      ...services[0]!,
      name: 'sneaky',
      routes: async (app: Parameters<(typeof services)[number]['routes']>[0]) => {
        app.get('/v1/sneaky', async () => ({ open: true }));
      },
    };
    const other = openDatabase({ inMemory: true });
    try {
      await expect(buildGateway({ config: {}, db: other, logger: false, demoData: false, services: [sneaky] })).rejects.toThrow(MissingPolicyError);
    } finally {
      await other.close();
    }
  });

  it.each(Object.entries(MATRIX))('%s answers each caller as its policy says', async (key, route) => {
    const [method, path] = key.split(' ') as [InjectOptions['method'], string];
    const seen: Record<string, number> = {};
    for (const actor of ACTORS) {
      const built = route.request ? await route.request(ctx, actor) : {};
      const token = actor === 'anonymous' ? undefined : ctx[actor].accessToken;
      const needsBody = method === 'POST' || method === 'PATCH' || method === 'PUT';
      const res = await ctx.gateway.app.inject({
        method,
        url: built.url ?? fillParams(path),
        headers: token ? { authorization: `Bearer ${token}` } : {},
        ...(needsBody && !('payload' in built) ? { payload: {} } : {}),
        ...(built.payload !== undefined ? { payload: built.payload } : {}),
      });
      seen[actor] = res.statusCode;
      const expected = expectedStatus(route, actor);
      const where = `${key} as ${actor}: ${res.body.slice(0, 300)}`;
      if (expected === 'allowed') {
        expect([401, 403], where).not.toContain(res.statusCode);
        expect(res.statusCode, where).toBeLessThan(500);
      } else {
        expect(res.statusCode, where).toBe(expected);
      }
      if (res.statusCode >= 400) expect(res.headers['content-type'], where).toContain('application/problem+json');
    }
    expect(Object.keys(seen)).toEqual(ACTORS);
  });
});
