/**
 * Guide 004 §10.4, the rollback decision criteria, in one place: the
 * thresholds, the PromQL that measures them (used by `fusion verify` and
 * written into the Argo Rollouts AnalysisTemplates), and the verdict.
 */
import type { Check } from '../report.ts';

export const CRITERIA = {
  /** Roll back when more than 1% of requests fail (5xx). */
  maxErrorRate: 0.01,
  /** Roll back when p95 latency exceeds twice the pre-deployment baseline. */
  maxP95Ratio: 2,
  /** Roll back when health checks fail on two or more pods. */
  unhealthyPods: 2,
  /** Roll back when a consumer group lags more than 5000 events. */
  maxConsumerLag: 5000,
  /** Fewer requests than this say nothing about error rate or latency. */
  minRequests: 50,
  /** Guide 004 §10.4: the criteria apply within 30 minutes of the deploy. */
  watchMinutes: 30,
} as const;

export type Criteria = { [K in keyof typeof CRITERIA]: number };

/** A PromQL label selector body: `service="catalog",namespace="shop"`. */
export function selector(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
}

const withLabels = (base: string, extra: string) => [base, extra].filter(Boolean).join(',');

export const promql = {
  requests: (sel: string, window: string) => `sum(increase(http_request_duration_seconds_count{${sel}}[${window}]))`,
  errorRate: (sel: string, window: string) =>
    `sum(rate(http_request_duration_seconds_count{${withLabels(sel, 'status_code=~"5.."')}}[${window}])) / sum(rate(http_request_duration_seconds_count{${sel}}[${window}]))`,
  p95: (sel: string, window: string) => `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}[${window}])))`,
  /** Pods of the workload whose container is not ready (its readiness probe, GET /ready, fails); kube-state-metrics. */
  unhealthyPods: (namespace: string, container: string) =>
    `count(kube_pod_container_status_ready{namespace="${namespace}",container="${container}"} == 0) or vector(0)`,
  consumerLag: (sel: string) => `max(events_consumer_lag{${sel}}) or vector(0)`,
};

export interface Observations {
  /** Requests in the window (or since the pods started, from a scrape). */
  requests?: number;
  errorRate?: number;
  p95Seconds?: number;
  baselineP95Seconds?: number;
  /** Pods whose health checks fail, out of `pods` checked. */
  unhealthyPods?: number;
  pods?: number;
  unhealthyDetail?: string[];
  consumerLag?: number;
}

export interface Verdict {
  decision: 'keep' | 'rollback';
  reasons: string[];
  checks: Check[];
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const ms = (seconds: number) => `${Math.round(seconds * 1000)} ms`;

export function evaluate(o: Observations, criteria: Criteria = CRITERIA): Verdict {
  const checks: Check[] = [];
  const enoughTraffic = o.requests !== undefined && o.requests >= criteria.minRequests;
  const traffic = o.requests === undefined ? 'no request metrics' : `${Math.round(o.requests)} requests, fewer than ${criteria.minRequests}`;

  if (o.errorRate === undefined || !enoughTraffic) {
    checks.push({ name: 'error-rate', status: 'skip', detail: `not measurable: ${traffic}` });
  } else {
    const bad = o.errorRate > criteria.maxErrorRate;
    checks.push({
      name: 'error-rate',
      status: bad ? 'fail' : 'pass',
      detail: `${pct(o.errorRate)} of ${Math.round(o.requests ?? 0)} requests failed (5xx); rollback above ${pct(criteria.maxErrorRate)}`,
    });
  }

  if (o.p95Seconds === undefined || !enoughTraffic) {
    checks.push({ name: 'latency-p95', status: 'skip', detail: `not measurable: ${traffic}` });
  } else if (o.baselineP95Seconds === undefined || o.baselineP95Seconds <= 0) {
    checks.push({ name: 'latency-p95', status: 'skip', detail: `p95 ${ms(o.p95Seconds)}; no pre-deployment baseline to compare with (--baseline)` });
  } else {
    const ratio = o.p95Seconds / o.baselineP95Seconds;
    const bad = ratio > criteria.maxP95Ratio;
    checks.push({
      name: 'latency-p95',
      status: bad ? 'fail' : 'pass',
      detail: `p95 ${ms(o.p95Seconds)} vs baseline ${ms(o.baselineP95Seconds)} (${ratio.toFixed(2)}×); rollback above ${criteria.maxP95Ratio}×`,
    });
  }

  if (o.unhealthyPods === undefined) {
    checks.push({ name: 'health', status: 'skip', detail: 'no pods to check (--health or --namespace)' });
  } else {
    // Two failing pods roll back; so does a single pod when that is all there is.
    const limit = o.pods !== undefined ? Math.min(criteria.unhealthyPods, Math.max(o.pods, 1)) : criteria.unhealthyPods;
    const bad = o.unhealthyPods >= limit;
    checks.push({
      name: 'health',
      status: bad ? 'fail' : 'pass',
      detail: `${o.unhealthyPods}${o.pods !== undefined ? ` of ${o.pods}` : ''} pod(s) failing health checks; rollback at ${limit}`,
      notes: o.unhealthyDetail,
    });
  }

  if (o.consumerLag === undefined) {
    checks.push({ name: 'consumer-lag', status: 'skip', detail: 'no events_consumer_lag metric (this service consumes no events)' });
  } else {
    const bad = o.consumerLag > criteria.maxConsumerLag;
    checks.push({
      name: 'consumer-lag',
      status: bad ? 'fail' : 'pass',
      detail: `worst consumer group lags ${Math.round(o.consumerLag)} event(s); rollback above ${criteria.maxConsumerLag}`,
    });
  }

  checks.push({ name: 'data-integrity', status: 'skip', detail: 'not measured: check reports and reconciliations by hand (guide 004 §10.4)' });
  const failed = checks.filter((c) => c.status === 'fail');
  return { decision: failed.length > 0 ? 'rollback' : 'keep', reasons: failed.map((c) => `${c.name}: ${c.detail}`), checks };
}
