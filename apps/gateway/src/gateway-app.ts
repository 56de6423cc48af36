/**
 * What the embedded and the proxy gateway share: one app named `gateway` with
 * the process's settings (log level, trusted proxy, body limit, token keys,
 * build facts, maintenance mode) and one API description, a public
 * `/v1/health`, the demo images and the web apps.
 */
import { createApp, trustProxyOf, tokenServiceFrom, type CreateAppOptions, type MaintenanceOptions, type ProcessConfig } from '@fusioncommerce/platform';
import type { FastifyInstance } from 'fastify';
import { demoImageRoutes } from './demo-images.ts';
import { webApps, type WebOptions } from './web.ts';

export interface GatewayAppOptions {
  /** `false` for silence, or logger options (a stream to capture, in tests); the default logs JSON at LOG_LEVEL. */
  logger?: CreateAppOptions['logger'];
  /** The storefront and admin console (default: apps/web/dist); false serves neither. */
  web?: WebOptions | false;
  /** Maintenance mode's flag file (FUSION_MAINTENANCE_FILE, see loadMaintenanceConfig); without it, no maintenance mode. */
  maintenance?: MaintenanceOptions;
}

export async function gatewayApp(config: ProcessConfig, options: GatewayAppOptions, openapiDocument?: CreateAppOptions['openapiDocument']): Promise<FastifyInstance> {
  const app = await createApp({
    service: 'gateway',
    logLevel: config.LOG_LEVEL,
    trustProxy: trustProxyOf(config.TRUST_PROXY),
    logger: options.logger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    tokens: tokenServiceFrom(config),
    commit: config.GIT_COMMIT,
    builtAt: config.BUILD_TIME,
    openapi: { title: 'FusionCommerce API', description: 'Every FusionCommerce service behind one gateway.' },
    openapiDocument,
    maintenance: options.maintenance,
  });
  app.get('/v1/health', { config: { auth: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  await app.register(demoImageRoutes);
  if (options.web !== false) await app.register(webApps, options.web ?? {});
  return app;
}
