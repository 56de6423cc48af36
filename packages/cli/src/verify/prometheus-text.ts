/**
 * The Prometheus text exposition format (what every process serves at
 * /metrics) parsed into samples, and the sums the rollback criteria need:
 * request counts by status class and the latency histogram's buckets,
 * added up across routes, methods and pods.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseValue(raw: string): number {
  if (raw === '+Inf' || raw === 'Inf') return Number.POSITIVE_INFINITY;
  if (raw === '-Inf') return Number.NEGATIVE_INFINITY;
  if (raw === 'NaN') return Number.NaN;
  const value = Number(raw);
  if (Number.isNaN(value)) throw new Error(`not a sample value: "${raw}"`);
  return value;
}

/** Parses `name{a="b",c="d"} value [timestamp]` lines; comments and blank lines are skipped. */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  text.split('\n').forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      samples.push(parseLine(line));
    } catch (error) {
      throw new Error(`metrics line ${index + 1}: ${(error as Error).message}`);
    }
  });
  return samples;
}

function parseLine(line: string): Sample {
  const nameMatch = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(line);
  if (!nameMatch) throw new Error(`no metric name in "${line}"`);
  const name = nameMatch[0];
  let at = name.length;
  const labels: Record<string, string> = {};
  if (line[at] === '{') {
    at += 1;
    for (;;) {
      while (line[at] === ' ' || line[at] === ',') at += 1;
      if (line[at] === '}') {
        at += 1;
        break;
      }
      const labelMatch = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(at));
      if (!labelMatch) throw new Error(`bad label at column ${at + 1}`);
      const label = labelMatch[0];
      at += label.length;
      if (line[at] !== '=' || line[at + 1] !== '"') throw new Error(`expected ="…" after label ${label}`);
      at += 2;
      let value = '';
      while (at < line.length && line[at] !== '"') {
        if (line[at] === '\\') {
          const next = line[at + 1];
          value += next === 'n' ? '\n' : (next ?? '');
          at += 2;
        } else {
          value += line[at];
          at += 1;
        }
      }
      if (line[at] !== '"') throw new Error(`unterminated value of label ${label}`);
      at += 1;
      labels[label] = value;
    }
  }
  const rest = line.slice(at).trim().split(/\s+/);
  if (!rest[0]) throw new Error(`no value for ${name}`);
  return { name, labels, value: parseValue(rest[0]) };
}

export interface LatencyHistogram {
  /** Upper bound (seconds) → cumulative count, summed over the selected series. */
  buckets: Map<number, number>;
  count: number;
  /** Requests answered 5xx. */
  serverErrors: number;
}

export const LATENCY_METRIC = 'http_request_duration_seconds';
export const CONSUMER_LAG_METRIC = 'events_consumer_lag';

export type LabelFilter = Record<string, string>;

function matches(labels: Record<string, string>, filter: LabelFilter): boolean {
  return Object.entries(filter).every(([k, v]) => labels[k] === v);
}

/** The request latency histogram summed across routes, methods, statuses and sources. */
export function latencyHistogram(samples: Sample[], filter: LabelFilter = {}): LatencyHistogram {
  const buckets = new Map<number, number>();
  let count = 0;
  let serverErrors = 0;
  for (const s of samples) {
    if (!matches(s.labels, filter)) continue;
    if (s.name === `${LATENCY_METRIC}_bucket`) {
      const le = parseValue(s.labels.le ?? '+Inf');
      buckets.set(le, (buckets.get(le) ?? 0) + s.value);
    } else if (s.name === `${LATENCY_METRIC}_count`) {
      count += s.value;
      if (/^5\d\d$/.test(s.labels.status_code ?? '')) serverErrors += s.value;
    }
  }
  return { buckets, count, serverErrors };
}

/** Adds histograms (several pods' scrapes). */
export function addHistograms(parts: LatencyHistogram[]): LatencyHistogram {
  const buckets = new Map<number, number>();
  for (const part of parts) for (const [le, n] of part.buckets) buckets.set(le, (buckets.get(le) ?? 0) + n);
  return { buckets, count: parts.reduce((n, p) => n + p.count, 0), serverErrors: parts.reduce((n, p) => n + p.serverErrors, 0) };
}

/**
 * The q-quantile from cumulative buckets, interpolated linearly inside the
 * bucket it falls in — what PromQL's histogram_quantile does — so a recorded
 * scrape and a Prometheus query give the same number.
 */
export function histogramQuantile(q: number, histogram: LatencyHistogram): number | undefined {
  const bounds = [...histogram.buckets.keys()].sort((a, b) => a - b);
  const total = histogram.buckets.get(Number.POSITIVE_INFINITY) ?? histogram.count;
  if (total <= 0 || bounds.length === 0) return undefined;
  const rank = q * total;
  let previousBound = 0;
  let previousCount = 0;
  for (const bound of bounds) {
    const cumulative = histogram.buckets.get(bound) ?? 0;
    if (cumulative >= rank) {
      // Above the highest finite bucket PromQL answers that bucket's bound.
      if (bound === Number.POSITIVE_INFINITY) return previousBound;
      const inBucket = cumulative - previousCount;
      if (inBucket <= 0) return bound;
      return previousBound + (bound - previousBound) * ((rank - previousCount) / inBucket);
    }
    previousBound = bound;
    previousCount = cumulative;
  }
  return previousBound;
}

/** The largest value of a gauge across its series (consumer lag per group → the worst group). */
export function maxOf(samples: Sample[], name: string, filter: LabelFilter = {}): number | undefined {
  const values = samples.filter((s) => s.name === name && matches(s.labels, filter)).map((s) => s.value);
  return values.length > 0 ? Math.max(...values) : undefined;
}
