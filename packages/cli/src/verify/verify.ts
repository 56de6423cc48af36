/**
 * `fusion verify`: after a deploy, measure guide 004 §10.4's rollback
 * criteria and decide: keep or roll back. Two sources:
 *  - Prometheus (`--prometheus`): the same PromQL the Argo Rollouts analysis runs;
 *  - scrapes (`--metrics`): the services' /metrics, live URLs or recorded files,
 *    with a scrape from before the deploy as the latency baseline; the pods'
 *    /health and /ready are probed for the health criterion.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CRITERIA, evaluate, promql, selector, type Observations, type Verdict } from './criteria.ts';
import { CONSUMER_LAG_METRIC, addHistograms, histogramQuantile, latencyHistogram, maxOf, parsePrometheusText, type LabelFilter, type Sample } from './prometheus-text.ts';

export interface ScrapeSource {
  /** After the deploy: /metrics URLs of the new pods, or files holding recorded scrapes. */
  metrics: string[];
  /** Before the deploy: scrapes whose p95 is the baseline. */
  baseline?: string[];
  /** Base URLs whose /health and /ready count as pods; by default the origins of the http(s) `metrics`. */
  health?: string[];
}

export interface PrometheusSource {
  url: string;
  /** Kubernetes namespace: narrows every query and enables the pod health query (kube-state-metrics). */
  namespace?: string;
  /** Container name in the pods (the workload, e.g. catalog-service) for the pod health query. */
  container?: string;
  /** When the deploy started: the window ends now and starts there (at most 30 minutes); the baseline ends there. */
  deployedAt?: Date;
  /** PromQL range, e.g. 5m, when no deploy time is given. */
  window?: string;
  now?: Date;
}

export interface VerifyOptions {
  /** The service label to look at (catalog, gateway…); every series when omitted. */
  service?: string;
  scrape?: ScrapeSource;
  prometheus?: PrometheusSource;
  /** A known baseline p95 in seconds, instead of measuring one. */
  baselineP95Seconds?: number;
  minRequests?: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface VerifyResult extends Verdict {
  source: string;
  observations: Observations;
}

async function readText(location: string, doFetch: typeof fetch, timeoutMs: number): Promise<string> {
  if (/^https?:\/\//.test(location)) {
    const response = await doFetch(location, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`GET ${location} → ${response.status}`);
    return response.text();
  }
  const path = location.startsWith('file:') ? fileURLToPath(location) : location;
  if (!existsSync(path)) throw new Error(`no such metrics file or URL: ${location}`);
  return readFileSync(path, 'utf8');
}

async function probe(base: string, doFetch: typeof fetch, timeoutMs: number): Promise<string | undefined> {
  const root = base.replace(/\/+$/, '');
  for (const path of ['/health', '/ready']) {
    try {
      const response = await doFetch(`${root}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) return `${root}${path} → ${response.status}`;
    } catch (error) {
      return `${root}${path} → ${(error as Error).message}`;
    }
  }
  return undefined;
}

async function fromScrapes(source: ScrapeSource, options: VerifyOptions): Promise<Observations> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  const filter: LabelFilter = options.service ? { service: options.service } : {};
  const observations: Observations = {};

  const scraped: Sample[][] = [];
  const unreachable: string[] = [];
  for (const location of source.metrics) {
    try {
      scraped.push(parsePrometheusText(await readText(location, doFetch, timeoutMs)));
    } catch (error) {
      // An http target that does not answer is a pod failing; a bad file is an operator error.
      if (!/^https?:\/\//.test(location)) throw error;
      unreachable.push(`${location}: ${(error as Error).message}`);
    }
  }
  if (scraped.length > 0) {
    const histogram = addHistograms(scraped.map((samples) => latencyHistogram(samples, filter)));
    observations.requests = histogram.count;
    observations.errorRate = histogram.count > 0 ? histogram.serverErrors / histogram.count : undefined;
    observations.p95Seconds = histogramQuantile(0.95, histogram);
    const lags = scraped.map((samples) => maxOf(samples, CONSUMER_LAG_METRIC, filter)).filter((v): v is number => v !== undefined);
    if (lags.length > 0) observations.consumerLag = Math.max(...lags);
  }

  if (options.baselineP95Seconds !== undefined) observations.baselineP95Seconds = options.baselineP95Seconds;
  else if (source.baseline && source.baseline.length > 0) {
    const before = await Promise.all(source.baseline.map(async (l) => latencyHistogram(parsePrometheusText(await readText(l, doFetch, timeoutMs)), filter)));
    observations.baselineP95Seconds = histogramQuantile(0.95, addHistograms(before));
  }

  const targets = source.health ?? source.metrics.filter((m) => /^https?:\/\//.test(m)).map((m) => new URL(m).origin);
  if (targets.length > 0) {
    const failures = (await Promise.all(targets.map((t) => probe(t, doFetch, timeoutMs)))).filter((f): f is string => f !== undefined);
    observations.pods = targets.length;
    observations.unhealthyPods = failures.length;
    observations.unhealthyDetail = failures;
  } else if (unreachable.length > 0) {
    observations.pods = source.metrics.length;
    observations.unhealthyPods = unreachable.length;
    observations.unhealthyDetail = unreachable;
  }
  return observations;
}

interface PromVector {
  status: string;
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

async function query(source: PrometheusSource, expression: string, at: Date, doFetch: typeof fetch, timeoutMs: number): Promise<number | undefined> {
  const url = new URL('/api/v1/query', source.url);
  url.searchParams.set('query', expression);
  url.searchParams.set('time', String(at.getTime() / 1000));
  const response = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const body = (await response.json()) as PromVector;
  if (!response.ok || body.status !== 'success') throw new Error(`Prometheus refused ${expression}: ${body.error ?? response.status}`);
  const first = body.data?.result[0];
  if (!first) return undefined;
  const value = Number(first.value[1]);
  return Number.isNaN(value) ? undefined : value;
}

/** `5m`, `30m`, `90s` … from a duration in milliseconds (whole minutes when it can). */
export function promDuration(ms: number): string {
  const seconds = Math.max(60, Math.round(ms / 1000));
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

async function fromPrometheus(source: PrometheusSource, options: VerifyOptions): Promise<Observations> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = source.now ?? new Date();
  const labels: Record<string, string> = {};
  if (options.service) labels.service = options.service;
  if (source.namespace) labels.namespace = source.namespace;
  const sel = selector(labels);
  const sinceDeploy = source.deployedAt ? Math.min(now.getTime() - source.deployedAt.getTime(), CRITERIA.watchMinutes * 60_000) : undefined;
  const window = source.window ?? (sinceDeploy !== undefined ? promDuration(sinceDeploy) : '5m');

  const observations: Observations = {
    requests: await query(source, promql.requests(sel, window), now, doFetch, timeoutMs),
    errorRate: await query(source, promql.errorRate(sel, window), now, doFetch, timeoutMs),
    p95Seconds: await query(source, promql.p95(sel, window), now, doFetch, timeoutMs),
    consumerLag: await query(source, promql.consumerLag(sel), now, doFetch, timeoutMs),
  };
  if (options.baselineP95Seconds !== undefined) observations.baselineP95Seconds = options.baselineP95Seconds;
  else if (source.deployedAt) observations.baselineP95Seconds = await query(source, promql.p95(sel, window), source.deployedAt, doFetch, timeoutMs);
  if (source.namespace && source.container) {
    observations.unhealthyPods = await query(source, promql.unhealthyPods(source.namespace, source.container), now, doFetch, timeoutMs);
    observations.pods = await query(source, `count(kube_pod_container_status_ready{namespace="${source.namespace}",container="${source.container}"})`, now, doFetch, timeoutMs);
  }
  return observations;
}

export async function verifyRollout(options: VerifyOptions): Promise<VerifyResult> {
  let observations: Observations;
  let source: string;
  if (options.prometheus) {
    observations = await fromPrometheus(options.prometheus, options);
    source = `Prometheus ${options.prometheus.url}`;
  } else if (options.scrape && options.scrape.metrics.length > 0) {
    observations = await fromScrapes(options.scrape, options);
    source = `${options.scrape.metrics.length} scrape(s)`;
  } else {
    throw new Error('nothing to verify: give --prometheus <url> or --metrics <url|file> (repeatable)');
  }
  const criteria = { ...CRITERIA, minRequests: options.minRequests ?? CRITERIA.minRequests };
  return { ...evaluate(observations, criteria), source, observations };
}
