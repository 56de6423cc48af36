/**
 * Requests the proxying gateway sends to its upstream services, by service
 * and outcome: a counter, and a latency histogram up to the upstream's
 * response headers (or its failure). The HTTP histogram every process keeps
 * measures the same requests as the client saw them.
 */
import { Counter, Histogram, type Registry } from 'prom-client';

export type UpstreamOutcome = 'success' | 'client_error' | 'server_error' | 'unavailable' | 'timeout';

export function outcomeOf(status: number): UpstreamOutcome {
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  return 'success';
}

export interface UpstreamMetrics {
  observe(upstream: string, outcome: UpstreamOutcome, seconds: number): void;
}

export function upstreamMetrics(registry: Registry): UpstreamMetrics {
  const labelNames = ['upstream', 'outcome'] as const;
  const requests = new Counter({
    name: 'gateway_upstream_requests_total',
    help: 'Requests the gateway sent to an upstream service, by service and outcome (success, client_error, server_error, unavailable, timeout)',
    labelNames,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'gateway_upstream_request_duration_seconds',
    help: 'Time until an upstream service answered (its response headers) or failed, by service and outcome',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return {
    observe(upstream, outcome, seconds) {
      requests.inc({ upstream, outcome });
      latency.observe({ upstream, outcome }, seconds);
    },
  };
}
