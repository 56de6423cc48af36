/**
 * The proxying gateway's route table stays honest: every /v1 route the
 * embedded gateway serves is owned, in the table, by exactly the service
 * that registers it (found by mounting each service alone), or is one the
 * gateway answers itself (`/v1/health`) or by asking every service (the
 * event operator routes each service process registers).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, eventAdminRoutes, mountService, openDatabase, type Database, type EventRuntime } from '@fusioncommerce/platform';
import { testTokens } from '@fusioncommerce/platform/testing';
import { SERVICES } from '../../../packages/cli/src/services.ts';
import { buildGateway, type Gateway } from '../src/gateway.ts';
import { buildProxyGateway } from '../src/proxy-gateway.ts';
import { EVENT_ADMIN_PREFIXES, GATEWAY_PATHS, PROXIED_SERVICES, ROUTE_OWNERSHIP, ownersOf, underPrefix } from '../src/route-ownership.ts';
import { services } from '../src/services.ts';

const KEYRING = 'owner:route-ownership-signing-key-0123456789abcdef';
const EVENTS = 'the event operator routes';
const GATEWAY = 'the gateway';

const v1Routes = (routes: readonly { method: string; url: string }[]) => routes.filter((r) => r.url.startsWith('/v1/')).map((r) => `${r.method} ${r.url}`);
const pathOf = (route: string) => route.split(' ')[1] as string;

describe('the route ownership table', () => {
  let db: Database;
  let gateway: Gateway;
  /** `METHOD /v1/...` → who registers it: a service's name, EVENTS or GATEWAY. */
  const registrars = new Map<string, string[]>();
  const register = (route: string, by: string) => registrars.set(route, [...(registrars.get(route) ?? []), by]);

  beforeAll(async () => {
    db = openDatabase({ inMemory: true });
    gateway = await buildGateway({ config: { AUTH_SIGNING_KEYS: KEYRING }, db, demoData: false, web: false, logger: false });
    // Each service alone on an app of its own: what it registers is its.
    for (const service of services) {
      const app = await createApp({ service: service.name, logger: false, tokens: testTokens(KEYRING) });
      await mountService(app, service, db);
      await app.ready();
      for (const route of v1Routes(app.routePolicies)) register(route, service.name);
      await app.close();
    }
    const events = await createApp({ service: 'events', logger: false });
    await events.register(eventAdminRoutes, { events: {} as EventRuntime });
    await events.ready();
    for (const route of v1Routes(events.routePolicies)) register(route, EVENTS);
    await events.close();
  });
  afterAll(async () => {
    await gateway?.app.close();
    await db?.close();
  });

  it('when the embedded gateway is built, then each of its /v1 routes is registered by exactly one service, the event routes or the gateway', () => {
    const routes = v1Routes(gateway.app.routePolicies);
    expect(routes.length).toBeGreaterThan(100);
    const unexplained = routes.filter((route) => (registrars.get(route) ?? (GATEWAY_PATHS.includes(pathOf(route)) ? [GATEWAY] : [])).length !== 1);
    expect(unexplained).toEqual([]);
  });

  it('when a service registers a /v1 route, then the table gives that route to that service and to no other', () => {
    const wrong: string[] = [];
    for (const route of v1Routes(gateway.app.routePolicies)) {
      const [by] = registrars.get(route) ?? [GATEWAY];
      const owners = ownersOf(pathOf(route));
      if (by === EVENTS) {
        if (owners.length > 0 || !EVENT_ADMIN_PREFIXES.some((p) => underPrefix(pathOf(route), p))) wrong.push(`${route}: event route, table says ${owners.join(', ') || 'nobody'}`);
      } else if (by === GATEWAY) {
        if (owners.length > 0) wrong.push(`${route}: answered by the gateway, table says ${owners.join(', ')}`);
      } else if (owners.length !== 1 || owners[0] !== by) {
        wrong.push(`${route}: registered by ${by}, table says ${owners.join(', ') || 'nobody'}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('when the table is read, then every prefix covers a route of its service, and no two services share a path', () => {
    const routes = [...registrars.keys()];
    for (const { service, prefixes } of ROUTE_OWNERSHIP) {
      for (const prefix of prefixes) {
        const covered = routes.filter((r) => underPrefix(pathOf(r), prefix));
        expect(covered.length, `${service} ${prefix}`).toBeGreaterThan(0);
        expect(covered.flatMap((r) => registrars.get(r) ?? []).every((by) => by === service), `${service} ${prefix}`).toBe(true);
      }
    }
    const all = ROUTE_OWNERSHIP.flatMap((e) => e.prefixes);
    for (const a of all) for (const b of all) if (a !== b) expect(underPrefix(a, b), `${a} under ${b}`).toBe(false);
  });

  it('when the service lists are compared, then the table proxies to every service the gateway mounts and the deployment runs', () => {
    expect([...PROXIED_SERVICES].sort()).toEqual(services.map((s) => s.name).sort());
    expect([...PROXIED_SERVICES].sort()).toEqual(SERVICES.filter((s) => s.kind === 'service').map((s) => s.name).sort());
  });

  it('when the gateway proxies, then it answers the event operator routes every service registers, with their policy', async () => {
    const urls = Object.fromEntries(PROXIED_SERVICES.map((s) => [s, 'http://127.0.0.1:9']));
    const proxy = await buildProxyGateway({ config: { AUTH_SIGNING_KEYS: KEYRING }, upstreams: { urls, timeoutMs: 1000 }, web: false, logger: false });
    try {
      const policies = (routes: readonly { method: string; url: string; auth: string }[]) =>
        routes.filter((r) => EVENT_ADMIN_PREFIXES.some((p) => underPrefix(r.url, p))).map((r) => `${r.method} ${r.url} ${r.auth}`).sort();
      const eventRoutes = gateway.app.routePolicies.filter((r) => registrars.get(`${r.method} ${r.url}`)?.[0] === EVENTS);
      expect(policies(proxy.app.routePolicies)).toEqual(policies(eventRoutes));
    } finally {
      await proxy.app.close();
    }
  });
});
