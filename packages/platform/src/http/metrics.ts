/**
 * Prometheus metrics: one registry per app (so tests and the embedded gateway
 * never share counters by accident), process metrics, and an HTTP latency
 * histogram by method, route pattern and status.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
  }
  interface FastifyRequest {
    /**
     * Set when the platform answered instead of a route (maintenance mode's
     * 503): kept out of the latency histogram, whose 5xx share is the error
     * rate a rollout is judged by.
     */
    excludedFromHttpMetrics: boolean;
  }
}

export interface MetricsOptions {
  service: string;
  registry?: Registry;
}

const OPS_ROUTES = new Set(['/health', '/ready', '/startup', '/metrics', '/info']);

export const metricsPlugin = fp<MetricsOptions>(
  async (app: FastifyInstance, options) => {
    const registry = options.registry ?? new Registry();
    registry.setDefaultLabels({ service: options.service });
    collectDefaultMetrics({ register: registry });
    const latency = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    app.decorate('metrics', registry);
    app.decorateRequest('excludedFromHttpMetrics', false);

    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      if (OPS_ROUTES.has(route) || request.excludedFromHttpMetrics) return;
      latency.observe(
        { method: request.method, route, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });

    app.get('/metrics', { config: { auth: 'public' }, schema: { hide: true } }, async (_request, reply) => {
      const body = await registry.metrics();
      return reply.type(registry.contentType).send(body);
    });
  },
  { name: 'fusion-metrics' },
);
