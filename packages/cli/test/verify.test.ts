/**
 * `fusion verify` gives guide 004 §10.4's verdict: on recorded /metrics
 * scrapes of a healthy and of unhealthy rollouts, on live pods whose health
 * checks fail, on Prometheus answers, and on the platform's own exporter.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRITERIA, evaluate } from '../src/verify/criteria.ts';
import { histogramQuantile, latencyHistogram, maxOf, parsePrometheusText } from '../src/verify/prometheus-text.ts';
import { cli, startPlatform, type RunningPlatform } from './support/platform.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/metrics/${name}`, import.meta.url));

interface VerdictJson {
  decision: 'keep' | 'rollback';
  reasons: string[];
  checks: { name: string; status: string; detail: string }[];
  observations: Record<string, number>;
}

async function serve(handler: (path: string) => { status: number; body: string }): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const { status, body } = handler(req.url ?? '/');
    res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('fusion verify on recorded scrapes', () => {
  it('when the new pods serve like the old ones, then the verdict is keep (exit 0)', async () => {
    const { code, stdout } = await cli(['verify', '--service', 'catalog', '--metrics', fixture('healthy-pod-a.prom'), '--metrics', fixture('healthy-pod-b.prom'), '--baseline', fixture('before-deploy.prom')]);
    expect(stdout).toMatch(/PASS\s+error-rate\s+0\.20% of 1000 requests failed/);
    expect(stdout).toMatch(/PASS\s+latency-p95\s+p95 \d+ ms vs baseline \d+ ms \(1\.\d\d×\)/);
    expect(stdout).toMatch(/PASS\s+consumer-lag\s+worst consumer group lags 4 event/);
    expect(stdout).toContain('VERDICT: KEEP');
    expect(code).toBe(0);
  });

  it.each([
    ['unhealthy-errors.prom', 'error-rate', /3\.00% of 900 requests failed \(5xx\); rollback above 1\.00%/],
    ['unhealthy-latency.prom', 'latency-p95', /p95 \d+ ms vs baseline \d+ ms \(3\.\d\d×\); rollback above 2×/],
    ['unhealthy-lag.prom', 'consumer-lag', /worst consumer group lags 7342 event\(s\); rollback above 5000/],
  ])('when the rollout recorded in %s breaches %s, then the verdict is roll back (exit 1), naming it', async (file, criterion, detail) => {
    const { code, stdout } = await cli(['verify', '--service', 'catalog', '--metrics', fixture(file), '--baseline', fixture('before-deploy.prom'), '--json']);
    const verdict = JSON.parse(stdout) as VerdictJson;
    expect(verdict.decision).toBe('rollback');
    expect(verdict.reasons).toHaveLength(1);
    expect(verdict.reasons[0]).toMatch(new RegExp(`^${criterion}: `));
    expect(verdict.checks.find((c) => c.name === criterion)?.detail).toMatch(detail);
    expect(code).toBe(1);
  });

  it('when too few requests were served to judge, then error rate and latency are not judged and nothing calls for a rollback', async () => {
    const { code, stdout } = await cli(['verify', '--service', 'catalog', '--metrics', fixture('quiet.prom'), '--baseline-p95', '80']);
    expect(stdout).toMatch(/SKIP\s+error-rate\s+not measurable: 12 requests, fewer than 50/);
    expect(stdout).toMatch(/SKIP\s+latency-p95\s+not measurable/);
    expect(code).toBe(0);
  });

  it('when there is no baseline, then latency is reported but not judged', async () => {
    const { stdout } = await cli(['verify', '--metrics', fixture('unhealthy-latency.prom')]);
    expect(stdout).toMatch(/SKIP\s+latency-p95\s+p95 \d+ ms; no pre-deployment baseline to compare with \(--baseline\)/);
  });
});

describe('fusion verify against live pods', () => {
  const pods: { url: string; close(): Promise<void> }[] = [];
  const metrics = readFileSync(fixture('healthy-pod-a.prom'), 'utf8');
  beforeAll(async () => {
    // Three pods: two answer /ready 503 (a dependency down), one is fine.
    for (const ready of [true, false, false]) {
      pods.push(await serve((path) => (path === '/metrics' ? { status: 200, body: metrics } : path === '/ready' && !ready ? { status: 503, body: '{"status":"not_ready"}' } : { status: 200, body: '{}' })));
    }
  });
  afterAll(async () => Promise.all(pods.map((p) => p.close())));

  it('when health checks fail on two pods, then the verdict is roll back', async () => {
    const { code, stdout } = await cli(['verify', '--service', 'catalog', ...pods.flatMap((p) => ['--metrics', `${p.url}/metrics`]), '--baseline', fixture('before-deploy.prom')]);
    expect(stdout).toMatch(/FAIL\s+health\s+2 of 3 pod\(s\) failing health checks; rollback at 2/);
    expect(stdout).toMatch(/\/ready → 503/);
    expect(code).toBe(1);
  });

  it('when health checks fail on one pod of three, then that alone does not roll back', async () => {
    const { code, stdout } = await cli(['verify', '--service', 'catalog', '--metrics', `${pods[1]?.url}/metrics`, '--health', pods[0]?.url as string, '--health', pods[1]?.url as string, '--health', pods[0]?.url as string, '--baseline', fixture('before-deploy.prom')]);
    expect(stdout).toMatch(/PASS\s+health\s+1 of 3 pod\(s\) failing/);
    expect(code).toBe(0);
  });

  it('when the only pod does not answer at all, then it counts as failing', async () => {
    const { code, stdout } = await cli(['verify', '--metrics', 'http://127.0.0.1:9/metrics']);
    expect(stdout).toMatch(/FAIL\s+health\s+1 of 1 pod\(s\) failing health checks; rollback at 1/);
    expect(code).toBe(1);
  });
});

describe('fusion verify from Prometheus', () => {
  // 45 minutes ago: the window judged is the last 30 (guide 004 §10.4), the baseline the 30 before the deploy.
  const deployedAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 45 * 60_000);
  const queries: { query: string; time: number }[] = [];
  let healthy = true;
  let prometheus: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    // Answers as Prometheus' /api/v1/query does, recorded for a healthy and an unhealthy rollout.
    prometheus = await serve((path) => {
      const url = new URL(path, 'http://prometheus');
      const query = url.searchParams.get('query') ?? '';
      const time = Number(url.searchParams.get('time'));
      queries.push({ query, time });
      let value: string;
      if (query.startsWith('sum(increase(')) value = '1840';
      else if (query.includes('status_code=~"5.."')) value = healthy ? '0.0021' : '0.0475';
      else if (query.startsWith('histogram_quantile')) value = time * 1000 <= deployedAt.getTime() ? '0.120' : healthy ? '0.150' : '0.610';
      else if (query.includes('events_consumer_lag')) value = healthy ? '12' : '40';
      else if (query.startsWith('count(kube_pod_container_status_ready') && query.includes('== 0')) value = healthy ? '0' : '2';
      else if (query.startsWith('count(kube_pod_container_status_ready')) value = '4';
      else return { status: 400, body: JSON.stringify({ status: 'error', error: `unexpected query ${query}` }) };
      return { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [time, value] }] } }) };
    });
  });
  afterAll(async () => prometheus.close());

  const args = () => ['verify', '--prometheus', prometheus.url, '--service', 'payments', '--namespace', 'fusioncommerce-production', '--deployed-at', deployedAt.toISOString(), '--json'];

  it('when the rollout is healthy, then keep; the queries select the service and namespace, and the baseline ends at the deploy', async () => {
    healthy = true;
    queries.length = 0;
    const { code, stdout } = await cli(args());
    const verdict = JSON.parse(stdout) as VerdictJson;
    expect(verdict.decision).toBe('keep');
    expect(verdict.observations).toMatchObject({ requests: 1840, errorRate: 0.0021, p95Seconds: 0.15, baselineP95Seconds: 0.12, unhealthyPods: 0, pods: 4, consumerLag: 12 });
    expect(code).toBe(0);
    for (const { query } of queries.filter((q) => q.query.includes('http_request'))) expect(query).toContain('service="payments",namespace="fusioncommerce-production"');
    expect(queries.some((q) => q.query.includes('container="payments-service"'))).toBe(true);
    expect(queries.filter((q) => q.time * 1000 === deployedAt.getTime())).toHaveLength(1);
    expect(queries.find((q) => q.query.startsWith('sum(increase('))?.query).toContain('[30m]');
  });

  it('when the rollout is unhealthy, then roll back with every breached criterion', async () => {
    healthy = false;
    const { code, stdout } = await cli(args());
    const verdict = JSON.parse(stdout) as VerdictJson;
    expect(verdict.decision).toBe('rollback');
    expect(verdict.reasons.map((r) => r.split(':')[0])).toEqual(['error-rate', 'latency-p95', 'health']);
    expect(code).toBe(1);
  });

  it('when nothing is given to verify, then it says what it needs (exit 2)', async () => {
    const { code, stderr } = await cli(['verify']);
    expect(code).toBe(2);
    expect(stderr).toContain('give --prometheus <url> or --metrics <url|file>');
  });
});

describe('fusion verify on the platform’s own /metrics', () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    platform = await startPlatform();
    for (let i = 0; i < 30; i++) await fetch(`${platform.url}/v1/products?limit=5`);
    await fetch(`${platform.url}/v1/products/not-there`);
  });
  afterAll(async () => platform?.close());

  it('when the embedded platform serves normally, then its exporter reads as a keep, with its own labels', async () => {
    const { code, stdout } = await cli(['verify', '--service', 'gateway', '--metrics', `${platform.url}/metrics`, '--min-requests', '20', '--baseline-p95', '5000', '--json']);
    const verdict = JSON.parse(stdout) as VerdictJson;
    expect(verdict.observations.requests).toBeGreaterThanOrEqual(31);
    expect(verdict.observations.errorRate).toBe(0);
    expect(verdict.observations.pods).toBe(1);
    expect(verdict.observations.unhealthyPods).toBe(0);
    expect(verdict.decision).toBe('keep');
    expect(code).toBe(0);
  });
});

describe('the metrics arithmetic', () => {
  it('parses labels with escapes, +Inf and NaN, and skips comments', () => {
    const samples = parsePrometheusText('# HELP x y\nx{a="q\\"uote",b="back\\\\slash",c="new\\nline"} 1.5\ny +Inf\nz NaN 1700000000\n');
    expect(samples[0]).toEqual({ name: 'x', labels: { a: 'q"uote', b: 'back\\slash', c: 'new\nline' }, value: 1.5 });
    expect(samples[1]?.value).toBe(Number.POSITIVE_INFINITY);
    expect(samples[2]?.value).toBeNaN();
    expect(() => parsePrometheusText('x{a=1} 2')).toThrow(/metrics line 1/);
  });

  it('interpolates quantiles as PromQL’s histogram_quantile does', () => {
    const text = [0.1, 0.2, 0.5, '+Inf']
      .map((le, i) => `http_request_duration_seconds_bucket{le="${le}",status_code="200"} ${[50, 100, 100, 100][i]}`)
      .concat('http_request_duration_seconds_count{status_code="200"} 100')
      .join('\n');
    const histogram = latencyHistogram(parsePrometheusText(text));
    expect(histogramQuantile(0.95, histogram)).toBeCloseTo(0.19, 10);
    expect(histogramQuantile(0.25, histogram)).toBeCloseTo(0.05, 10);
    // Past the last finite bucket, the answer is that bucket's bound.
    const tail = latencyHistogram(parsePrometheusText('http_request_duration_seconds_bucket{le="0.1"} 1\nhttp_request_duration_seconds_bucket{le="+Inf"} 10'));
    expect(histogramQuantile(0.95, tail)).toBe(0.1);
    expect(histogramQuantile(0.95, latencyHistogram([]))).toBeUndefined();
    expect(maxOf(parsePrometheusText('events_consumer_lag{consumer_group="a"} 3\nevents_consumer_lag{consumer_group="b"} 9'), 'events_consumer_lag')).toBe(9);
  });

  it('rolls back on a single pod failing when it is the only one, and at two otherwise', () => {
    expect(evaluate({ unhealthyPods: 1, pods: 1 }).decision).toBe('rollback');
    expect(evaluate({ unhealthyPods: 1, pods: 5 }).decision).toBe('keep');
    expect(evaluate({ unhealthyPods: 2, pods: 5 }).decision).toBe('rollback');
    expect(evaluate({ requests: 1000, errorRate: CRITERIA.maxErrorRate }).decision).toBe('keep');
    expect(evaluate({ requests: 1000, p95Seconds: 0.2, baselineP95Seconds: 0.1 }).decision).toBe('keep');
    expect(evaluate({ consumerLag: CRITERIA.maxConsumerLag + 1 }).decision).toBe('rollback');
  });
});
