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
import type { ProcessConfig, UpstreamsConfig } from '@fusioncommerce/platform';
import type { FastifyInstance } from 'fastify';
import { gatewayApp, type GatewayAppOptions } from './gateway-app.ts';
import { mergedOpenApi } from './merged-openapi.ts';
import { UpstreamClient } from './upstream-client.ts';
import { upstreamMetrics } from './upstream-metrics.ts';
import { upstreamProxy } from './upstream-proxy.ts';

export interface ProxyGatewayOptions extends GatewayAppOptions {
  config: ProcessConfig;
  upstreams: UpstreamsConfig;
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
  const app: FastifyInstance = await gatewayApp(config, options, () => openapi());
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

  await app.register(upstreamProxy, { upstreams, client, metrics });
  await app.ready();
  app.readiness.markStarted();
  return { app, upstreams };
}
