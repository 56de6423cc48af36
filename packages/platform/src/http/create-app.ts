/**
 * The Fastify app factory every process uses. It wires the kernel — request
 * ids and logs, problem+json errors, strict validation, security headers, body
 * limit, metrics, health endpoints, auth policies and the OpenAPI document —
 * and leaves the business routes to the service plugins registered on it.
 */
import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { authPlugin } from '../auth/auth-plugin.ts';
import type { TokenService } from '../auth/tokens.ts';
import { loggerOptions } from '../logger.ts';
import { maintenancePlugin, type MaintenanceOptions } from '../maintenance/maintenance-plugin.ts';
import { healthPlugin, type BuildInfo } from './health.ts';
import { metricsPlugin } from './metrics.ts';
import { ProblemSchema, errorHandler, notFoundHandler } from './problem.ts';
import { DeferredCompilation } from './deferred-compilation.ts';
import { createValidatorCompiler } from './validation.ts';

export type App = FastifyInstance;

export interface CreateAppOptions {
  service: string;
  version?: string;
  commit?: string;
  builtAt?: string;
  logLevel?: string;
  /** A logger to reuse instead of building one (tests pass `false` for silence). */
  logger?: FastifyServerOptions['logger'];
  bodyLimit?: number;
  tokens?: TokenService;
  openapi?: { title: string; description: string };
  /**
   * Serves this document at /openapi.json and /docs instead of the one made
   * from this app's routes (the proxying gateway merges its upstreams').
   */
  openapiDocument?: () => Promise<Record<string, unknown>>;
  /** Proxies whose X-Forwarded-For is believed for `request.ip` (see TRUST_PROXY). */
  trustProxy?: boolean | string[] | ((address: string, hop: number) => boolean);
  /** Maintenance mode switched by a flag file (the gateway, the public entry point); none without it. */
  maintenance?: MaintenanceOptions;
}

const OPS_PATHS = new Set(['/health', '/ready', '/startup', '/metrics', '/v1/health']);
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function createApp(options: CreateAppOptions): Promise<FastifyInstance> {
  // Route schemas compile on first use, and the rest in the background once the app listens.
  const deferred = new DeferredCompilation();
  const app = Fastify({
    schemaController: { compilersFactory: { buildSerializer: deferred.serializerFactory() } },
    logger: options.logger ?? loggerOptions(options.service, options.logLevel),
    requestIdHeader: false,
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      // Probes and scrapes arrive every few seconds; logging each would drown the rest.
      disableRequestLogging: (req) => OPS_PATHS.has(req.url.split('?')[0] ?? ''),
    }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    return503OnClosing: true,
    trustProxy: options.trustProxy ?? false,
    // A URL that cannot be decoded (`%E0%A4%A`) or a path parameter past its limit: a problem like any other.
    frameworkErrors: (error, request, reply) => errorHandler(error, request, reply),
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // The API speaks JSON only: anything else is a clear 415, not a string to validate.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(createValidatorCompiler(deferred));
  app.addHook('onListen', async () => {
    void deferred.warmUp();
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.addSchema(ProblemSchema);
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  // While shutting down, in-flight responses end their keep-alive connection,
  // so the server can finish closing as soon as they are sent.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) void reply.header('connection', 'close');
  });

  const info: BuildInfo = {
    service: options.service,
    version: options.version ?? '0.1.0',
    commit: options.commit ?? 'unknown',
    builtAt: options.builtAt ?? 'unknown',
  };

  await app.register(helmet, {
    // The API answers JSON; the CSP that matters is the web apps', set where they are served.
    contentSecurityPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  // Before auth: while the shop is closed every business request gets the 503, whatever its policy.
  if (options.maintenance) await app.register(maintenancePlugin, { ...options.maintenance, tokens: options.tokens });
  await app.register(authPlugin, { tokens: options.tokens });
  await app.register(healthPlugin, { info });
  await app.register(metricsPlugin, { service: options.service });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: options.openapi?.title ?? `FusionCommerce ${options.service}`,
        description: options.openapi?.description ?? `The ${options.service} API.`,
        version: info.version,
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  const provide = options.openapiDocument;
  if (provide) {
    // Swagger UI reads /docs/json synchronously: the document is fetched before its handler runs.
    const documents = new WeakMap<object, Record<string, unknown>>();
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: true,
      transformSpecificationClone: false,
      transformSpecification: (spec, request) => documents.get(request) ?? spec,
      uiHooks: {
        preHandler: async (request) => {
          if (/\/(json|yaml)$/.test(request.url.split('?')[0] ?? '')) documents.set(request, await provide());
        },
      },
    });
  } else {
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  }
  app.get('/openapi.json', { schema: { hide: true } }, async () => (provide ? provide() : app.swagger()));

  return app;
}
