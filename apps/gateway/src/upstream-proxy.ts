/**
 * The proxying gateway's /v1 routes: one route per owned prefix (and what is
 * below it) streams the request to the service that owns it — method, path,
 * query, headers and body unchanged, the request id set — and the answer
 * back as the service gave it. A service that cannot be reached is a 502
 * problem, one that does not answer in time a 504; the gateway never retries
 * (a POST may have had its effect) and never hangs.
 */
import replyFrom from '@fastify/reply-from';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { UpstreamsConfig } from '@fusioncommerce/platform';
import { eventAdminFanOut } from './event-admin-fan-out.ts';
import { ROUTE_OWNERSHIP } from './route-ownership.ts';
import type { UpstreamClient } from './upstream-client.ts';
import { invalidPath, upstreamTimeout, upstreamUnavailable } from './upstream-errors.ts';
import { outcomeOf, type UpstreamMetrics } from './upstream-metrics.ts';

export interface UpstreamProxyOptions {
  upstreams: UpstreamsConfig;
  client: UpstreamClient;
  metrics: UpstreamMetrics;
}

/** Streams the current request to `service` and its answer back. */
export type Forward = (service: string, request: FastifyRequest, reply: FastifyReply) => FastifyReply;

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection, not the message: never passed on. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copy = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
}

/** The timeouts reply-from reports (its own, and undici's for headers); anything else means the service was not reachable. */
function timedOut(error: Error): boolean {
  const codes = [error, error.cause].map((e) => (e as { code?: string } | undefined)?.code);
  return codes.some((code) => code === 'FST_REPLY_FROM_GATEWAY_TIMEOUT' || code === 'FST_REPLY_FROM_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT');
}

export async function upstreamProxy(app: FastifyInstance, options: UpstreamProxyOptions): Promise<void> {
  const { upstreams, metrics } = options;
  const { timeoutMs } = upstreams;

  // Bodies stream through untouched: the service parses, validates and limits them as it does on its own port.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  await app.register(replyFrom, {
    disableRequestLogging: true,
    destroyAgent: true,
    // No retries, not even of a GET on 503: the service's answer is the answer.
    retryMethods: [],
    undici: {
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connect: { timeout: Math.min(timeoutMs, 10_000), rejectUnauthorized: true },
    },
  });

  const forward: Forward = (service, request, reply) => {
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    try {
      return reply.from(`${options.client.urlOf(service)}${request.url}`, {
        rewriteRequestHeaders: (req, headers) => {
          const forwardedFor = req.headers['x-forwarded-for'];
          return {
            ...withoutHopByHop(headers as IncomingHttpHeaders),
            // The id this gateway logs under (the client's own when it sent a sane one), so both processes' logs line up.
            'x-request-id': req.id,
            'x-forwarded-for': forwardedFor ? `${String(forwardedFor)}, ${req.ip}` : req.ip,
            'x-forwarded-proto': req.protocol,
            ...(req.headers.host ? { 'x-forwarded-host': req.headers.host } : {}),
          };
        },
        rewriteHeaders: (headers) => withoutHopByHop(headers as IncomingHttpHeaders),
        onResponse: (_req, rep, res) => {
          metrics.observe(service, outcomeOf(res.statusCode), elapsed());
          void rep.send(res.stream);
        },
        onError: (rep, { error }) => {
          const timeout = timedOut(error);
          metrics.observe(service, timeout ? 'timeout' : 'unavailable', elapsed());
          void rep.send(timeout ? upstreamTimeout(service, timeoutMs, error) : upstreamUnavailable(service, error));
        },
      });
    } catch (error) {
      // reply-from refuses paths that climb out of their prefix (`/v1/products/../…`) or do not decode.
      request.log.info({ err: error }, 'request path not forwarded');
      throw invalidPath();
    }
  };

  const route = { config: { auth: 'public' as const }, schema: { hide: true } };
  for (const { service, prefixes } of ROUTE_OWNERSHIP) {
    for (const prefix of prefixes) {
      // The service decides who may call it: the gateway passes Authorization on and lets it verify.
      const handler = async (request: FastifyRequest, reply: FastifyReply) => forward(service, request, reply);
      app.route({ method: [...METHODS], url: prefix, ...route, handler });
      app.route({ method: [...METHODS], url: `${prefix}/*`, ...route, handler });
    }
  }

  await app.register(eventAdminFanOut, { client: options.client, forward });
}
