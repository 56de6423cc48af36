/**
 * The platform for the CLI's tests: the embedded gateway exactly as `npm
 * start` builds it (or with chosen services), on a throw-away PostgreSQL
 * database, listening on a free port; the distributed shape (every service
 * its own app on its own port, events through the database, the gateway
 * proxying); and small stand-ins for services that are not written yet.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { buildServiceProcess, type BuiltProcess, type MaintenanceOptions, type ProcessConfig, type ServiceDefinition } from '@fusioncommerce/platform';
import { createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { buildGateway, type Gateway } from '../../../../apps/gateway/src/gateway.ts';
import { buildProxyGateway, type ProxyGateway } from '../../../../apps/gateway/src/proxy-gateway.ts';
import { services as allServices } from '../../../../apps/gateway/src/services.ts';
import { runCli, type Io } from '../../src/program.ts';

export const SIGNING_KEYS = 'smoke-test:smoke-test-signing-key-0123456789abcdef0123';

export interface RunningPlatform {
  url: string;
  gateway: Gateway;
  db: TestDatabase;
  close(): Promise<void>;
}

export async function startPlatform(options: { services?: ServiceDefinition[]; maintenance?: MaintenanceOptions } = {}): Promise<RunningPlatform> {
  const db = await createTestDatabase('postgres');
  const config: ProcessConfig = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: db.url,
    AUTH_SIGNING_KEYS: SIGNING_KEYS,
  };
  const gateway = await buildGateway({ config, db, demoData: false, logger: false, services: options.services, maintenance: options.maintenance });
  const url = await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    gateway,
    db,
    async close() {
      await gateway.app.close();
      await db.close();
    },
  };
}

export interface DistributedPlatform {
  /** The gateway's URL. */
  url: string;
  gateway: ProxyGateway;
  /** Each service, running alone with its own database pool and event relay, by name. */
  services: Map<string, BuiltProcess & { url: string }>;
  db: TestDatabase;
  close(): Promise<void>;
}

/**
 * Every service as its own app on its own port (as its container runs it),
 * sharing one throw-away PostgreSQL database whose event log carries their
 * events, and the gateway proxying to them.
 */
export async function startDistributedPlatform(options: { poolMax?: number } = {}): Promise<DistributedPlatform> {
  const db = await createTestDatabase('postgres');
  const url = db.url as string;
  const services = new Map<string, BuiltProcess & { url: string }>();
  try {
    // One after another: each migrates its schema on start.
    for (const service of allServices) {
      const config: ProcessConfig = { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url, DATABASE_POOL_MAX: options.poolMax ?? 5, AUTH_SIGNING_KEYS: SIGNING_KEYS };
      const built = await buildServiceProcess(service, config, { events: { DATABASE_URL: url, EVENTS_POLL_INTERVAL_MS: 100, EVENTS_CONSUMER_CONCURRENCY: 1 } });
      services.set(service.name, { ...built, url: await built.app.listen({ host: '127.0.0.1', port: 0 }) });
    }
    const urls = Object.fromEntries([...services].map(([name, s]) => [name, s.url]));
    const gateway = await buildProxyGateway({ config: { AUTH_SIGNING_KEYS: SIGNING_KEYS }, upstreams: { urls, timeoutMs: 30_000 }, web: false, logger: false });
    return {
      url: await gateway.app.listen({ host: '127.0.0.1', port: 0 }),
      gateway,
      services,
      db,
      async close() {
        await gateway.app.close();
        for (const service of services.values()) await service.app.close();
        await db.close();
      },
    };
  } catch (error) {
    for (const service of services.values()) await service.app.close();
    await db.close();
    throw error;
  }
}

/** Runs the CLI in this process and captures what it prints. */
export async function cli(args: string[], env: Record<string, string | undefined> = {}, io: Partial<Io> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        append(chunk.toString());
        callback();
      },
    });
  const code = await runCli(args, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    env,
    progress: 'lines',
    ...io,
  });
  return { code, stdout, stderr };
}

/**
 * A stand-in orders service with the shape the smoke test drives (cart,
 * line, checkout, order by id). `outcome` decides where its orders end:
 * confirmed, or pending forever (a saga that never finishes).
 */
export function stubOrders(outcome: 'confirmed' | 'pending'): ServiceDefinition {
  const orders = new Map<string, { id: string; status: string; number: string }>();
  return {
    name: 'orders-stand-in',
    port: 3001,
    migrations: { schema: 'orders_stand_in', directory: mkdtempSync(join(tmpdir(), 'fusion-stub-migrations-')) },
    openapi: { title: 'orders stand-in', description: 'for the smoke test' },
    routes: async (app) => {
      const open = { config: { auth: 'public' as const } };
      app.post('/v1/carts', open, async (_request, reply) => reply.code(201).send({ id: crypto.randomUUID(), lines: [] }));
      app.post('/v1/carts/:id/lines', open, async (request) => ({ id: (request.params as { id: string }).id, lines: [request.body] }));
      app.post('/v1/checkout', open, async (_request, reply) => {
        const order = { id: crypto.randomUUID(), status: 'pending', number: `FC-${orders.size + 1}` };
        orders.set(order.id, order);
        return reply.code(202).send(order);
      });
      app.get('/v1/orders/:id', open, async (request, reply) => {
        const order = orders.get((request.params as { id: string }).id);
        if (!order) return reply.code(404).send({ code: 'ORDERS.NOT_FOUND' });
        return { ...order, status: outcome };
      });
    },
  };
}

/**
 * A proxy in front of a platform that answers some requests itself: the
 * platform as a client sees it when one part misbehaves.
 */
export async function breakingProxy(target: string, intercept: (req: IncomingMessage, res: ServerResponse) => boolean): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    if (intercept(req, res)) return;
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
