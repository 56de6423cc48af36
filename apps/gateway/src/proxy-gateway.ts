/**
 * The gateway in front of separately running services (distributed mode):
 * the same entry point as the embedded gateway — /v1 under the same paths,
 * the storefront and admin console, /docs, maintenance mode — but every
 * business request goes to the service that owns it. It opens no database,
 * runs no migrations, no events and no demo data: the services do.
 *
 * Readiness is the gateway's own: it stays ready while a service is down (that
 * service's routes answer 502, the rest of the shop keeps working), and /ready
 * lists each upstream's readiness for the operator.
 */
import {
  createApp,
  trustProxyOf,
  tokenServiceFrom,
  type CreateAppOptions,
  type MaintenanceOptions,
  type ProcessConfig,
  type UpstreamsConfig,
} from '@fusioncommerce/platform';
import type { FastifyInstance } from 'fastify';
import { demoImageRoutes } from './demo-images.ts';
import { mergedOpenApi } from './merged-openapi.ts';
import { UpstreamClient } from './upstream-client.ts';
import { upstreamMetrics } from './upstream-metrics.ts';
import { upstreamProxy } from './upstream-proxy.ts';
import { webApps, type WebOptions } from './web.ts';

export interface ProxyGatewayOptions {
  config: ProcessConfig;
  upstreams: UpstreamsConfig;
  /** `false` for silence, or logger options; the default logs JSON at LOG_LEVEL. */
  logger?: CreateAppOptions['logger'];
  /** The storefront and admin console (default: apps/web/dist); false serves neither. */
  web?: WebOptions | false;
  /** Maintenance mode's flag file (FUSION_MAINTENANCE_FILE); without it, no maintenance mode. */
  maintenance?: MaintenanceOptions;
}

export interface ProxyGateway {
  app: FastifyInstance;
  upstreams: UpstreamsConfig;
}

/** A readiness probe of an upstream answers well within the gateway's own probe timeout. */
const PROBE_TIMEOUT_MS = 1500;
/** How long an upstream's readiness answer is reused for the gateway's /ready. */
const UPSTREAM_READY_MAX_AGE_MS = 5000;

export async function buildProxyGateway(options: ProxyGatewayOptions): Promise<ProxyGateway> {
  const { config, upstreams } = options;
  // Set once the app (and its metrics registry) exists; nothing asks for it before the app is ready.
  let openapi: () => Promise<Record<string, unknown>> = async () => ({});
  const app: FastifyInstance = await createApp({
    service: 'gateway',
    logLevel: config.LOG_LEVEL,
    trustProxy: trustProxyOf(config.TRUST_PROXY),
    logger: options.logger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Services verify tokens themselves; the gateway needs the keys for maintenance mode's admin pass and the event routes.
    tokens: tokenServiceFrom(config),
    commit: config.GIT_COMMIT,
    builtAt: config.BUILD_TIME,
    openapi: { title: 'FusionCommerce API', description: 'Every FusionCommerce service behind one gateway.' },
    openapiDocument: () => openapi(),
    maintenance: options.maintenance,
  });
  const metrics = upstreamMetrics(app.metrics);
  const client = new UpstreamClient(upstreams, metrics);
  openapi = mergedOpenApi({ client, own: () => app.swagger() as unknown as Record<string, unknown> });

  for (const service of client.services) {
    app.readiness.add(
      `upstream:${service}`,
      async () => {
        const url = `${client.urlOf(service)}/ready`;
        const answer = await client.request(service, '/ready', { timeoutMs: PROBE_TIMEOUT_MS, measure: false }).catch((error: unknown) => {
          const cause = (error as Error).cause as (Error & { cause?: { code?: string } }) | undefined;
          throw new Error(`${url} did not answer (${cause?.cause?.code ?? cause?.message ?? 'unreachable'})`);
        });
        if (answer.status !== 200) throw new Error(`${url} answered ${answer.status}`);
      },
      // Probes from every kubelet and load balancer every few seconds: each upstream is asked at most once per UPSTREAM_READY_MAX_AGE_MS.
      { informational: true, maxAgeMs: UPSTREAM_READY_MAX_AGE_MS },
    );
  }

  app.get('/v1/health', { config: { auth: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  await app.register(demoImageRoutes);
  if (options.web !== false) await app.register(webApps, options.web ?? {});
  await app.register(upstreamProxy, { upstreams, client, metrics });
  await app.ready();
  app.readiness.markStarted();
  return { app, upstreams };
}
