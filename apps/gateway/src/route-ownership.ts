/**
 * Which service answers which /v1 path when the gateway proxies: path
 * prefixes per service, matched on whole segments (`/v1/groups` owns
 * `/v1/groups/abc`, not `/v1/group-deals`). Every /v1 route a service
 * registers falls under exactly one of its own prefixes, and under no one
 * else's; apps/gateway/test/route-ownership.test.ts holds the table to that against the
 * routes the services really register.
 *
 * Two kinds of /v1 paths belong to no single service: `/v1/health`, which the
 * gateway answers itself, and the event operator routes that every service
 * process registers for its own outbox and consumers (the platform's
 * eventAdminRoutes), which the gateway answers by asking every upstream.
 */

export interface ServiceRoutes {
  /** The service's name, as in packages/cli/src/services.ts; its upstream URL is `<NAME>_SERVICE_URL`. */
  service: string;
  prefixes: string[];
}

export const ROUTE_OWNERSHIP: ServiceRoutes[] = [
  { service: 'catalog', prefixes: ['/v1/products', '/v1/variants', '/v1/categories', '/v1/admin/products'] },
  { service: 'orders', prefixes: ['/v1/carts', '/v1/checkout', '/v1/orders', '/v1/admin/orders'] },
  { service: 'inventory', prefixes: ['/v1/inventory'] },
  { service: 'group-commerce', prefixes: ['/v1/group-deals', '/v1/groups'] },
  { service: 'payments', prefixes: ['/v1/payments', '/v1/admin/payments'] },
  { service: 'shipping', prefixes: ['/v1/shipping-options', '/v1/shipments', '/v1/admin/shipping-options'] },
  { service: 'customers', prefixes: ['/v1/auth', '/v1/customers'] },
  { service: 'webhooks', prefixes: ['/v1/webhook-subscriptions', '/v1/webhook-deliveries'] },
];

/** Every service the gateway proxies to, in the table's order. */
export const PROXIED_SERVICES = ROUTE_OWNERSHIP.map((entry) => entry.service);

/** Event operator routes: each service process answers for its own events; the gateway merges their answers. */
export const EVENT_ADMIN_PREFIXES = ['/v1/admin/events', '/v1/admin/dead-letters'];

/** Answered by the gateway itself in both modes. */
export const GATEWAY_PATHS = ['/v1/health'];

/** True when `path` is `prefix` or below it, segment by segment. */
export function underPrefix(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** Every service whose prefixes cover `path` (exactly one for a path the table is right about). */
export function ownersOf(path: string): string[] {
  return ROUTE_OWNERSHIP.filter((entry) => entry.prefixes.some((prefix) => underPrefix(path, prefix))).map((entry) => entry.service);
}
