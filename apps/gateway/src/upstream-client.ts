/**
 * Requests the gateway makes to its upstreams on its own account rather than
 * streaming a client's request through: the event routes it answers by
 * asking every service, the OpenAPI documents it merges, and the readiness
 * it lists. Every request has a deadline; failing to reach a service becomes
 * the same 502/504 problem as for a proxied request.
 */
import type { FastifyRequest } from 'fastify';
import type { UpstreamsConfig } from '@fusioncommerce/platform';
import { upstreamTimeout, upstreamUnavailable } from './upstream-errors.ts';
import { outcomeOf, type UpstreamMetrics } from './upstream-metrics.ts';

export interface UpstreamAnswer {
  service: string;
  status: number;
  contentType: string | undefined;
  body: Buffer;
}

export interface UpstreamRequestOptions {
  method?: string;
  /** The client request this one is made for: its request id and Authorization go along. */
  on?: FastifyRequest;
  /** Shorter than the configured timeout (readiness probes). */
  timeoutMs?: number;
  /** Count it in the upstream metrics (default true; probes are not traffic). */
  measure?: boolean;
}

/** Parses an answer's JSON body; undefined when it is not JSON. */
export function jsonOf<T>(answer: UpstreamAnswer): T | undefined {
  try {
    return JSON.parse(answer.body.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

const isTimeout = (error: unknown): boolean => error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');

export class UpstreamClient {
  constructor(
    private readonly upstreams: UpstreamsConfig,
    private readonly metrics: UpstreamMetrics,
  ) {}

  get services(): string[] {
    return Object.keys(this.upstreams.urls);
  }

  urlOf(service: string): string {
    const url = this.upstreams.urls[service];
    if (url === undefined) throw new Error(`no upstream for "${service}"`);
    return url;
  }

  /** Sends `method path` to `service`; resolves with whatever it answered, rejects with a 502/504 AppError when it did not. */
  async request(service: string, path: string, options: UpstreamRequestOptions = {}): Promise<UpstreamAnswer> {
    const timeoutMs = options.timeoutMs ?? this.upstreams.timeoutMs;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.on) {
      headers['x-request-id'] = options.on.id;
      const authorization = options.on.headers.authorization;
      if (authorization) headers.authorization = authorization;
    }
    const started = performance.now();
    const measure = (outcome: Parameters<UpstreamMetrics['observe']>[1]) => {
      if (options.measure !== false) this.metrics.observe(service, outcome, (performance.now() - started) / 1000);
    };
    try {
      const response = await fetch(`${this.urlOf(service)}${path}`, {
        method: options.method ?? 'GET',
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = Buffer.from(await response.arrayBuffer());
      measure(outcomeOf(response.status));
      return { service, status: response.status, contentType: response.headers.get('content-type') ?? undefined, body };
    } catch (error) {
      if (isTimeout(error)) {
        measure('timeout');
        throw upstreamTimeout(service, timeoutMs, error);
      }
      measure('unavailable');
      throw upstreamUnavailable(service, error);
    }
  }
}
