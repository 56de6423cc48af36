/**
 * The gateway's upstreams: one URL per service (`CATALOG_SERVICE_URL`,
 * `GROUP_COMMERCE_SERVICE_URL`, …). None set: the gateway mounts every
 * service itself (embedded mode). All set: it proxies to them. Some but not
 * all would split a service's data across two databases, so that refuses to
 * start, naming what is missing.
 */
import { Type, type TProperties } from 'typebox';
import { ConfigError, loadConfig } from './load-config.ts';

export interface UpstreamsConfig {
  /** Service name → origin (`http://catalog-service:3000`), no trailing slash. */
  urls: Record<string, string>;
  /** How long the gateway waits for an upstream's answer (its response headers) before a 504. */
  timeoutMs: number;
}

export const DEFAULT_UPSTREAM_TIMEOUT_MS = 30_000;
export const UPSTREAM_TIMEOUT_VARIABLE = 'GATEWAY_UPSTREAM_TIMEOUT_MS';

/** `group-commerce` → `GROUP_COMMERCE_SERVICE_URL`. */
export function upstreamUrlVariable(service: string): string {
  return `${service.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_SERVICE_URL`;
}

// An origin: scheme, host and optional port; paths are forwarded unchanged, so the URL carries none.
const ORIGIN = '^https?://(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?/?$';

/**
 * Reads the upstream URLs of `services` from `env`. Returns undefined when
 * none is set (embedded mode); throws ConfigError on a malformed URL or a
 * partial list.
 */
export function loadUpstreamsConfig(services: string[], env: Record<string, string | undefined> = process.env): UpstreamsConfig | undefined {
  const properties: TProperties = {
    [UPSTREAM_TIMEOUT_VARIABLE]: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000 })),
  };
  for (const service of services) properties[upstreamUrlVariable(service)] = Type.Optional(Type.String({ pattern: ORIGIN }));
  const values = loadConfig(Type.Object(properties), env) as Record<string, string | number | undefined>;

  const set = services.filter((s) => values[upstreamUrlVariable(s)] !== undefined);
  if (set.length === 0) return undefined;
  const missing = services.filter((s) => !set.includes(s)).map(upstreamUrlVariable);
  if (missing.length > 0) {
    throw new ConfigError(
      `Invalid configuration: the gateway proxies only when every service has an upstream URL; ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set (set ${missing.length === 1 ? 'it' : 'them'}, or unset every *_SERVICE_URL to run all services in this process).`,
    );
  }
  const urls: Record<string, string> = {};
  for (const service of services) urls[service] = String(values[upstreamUrlVariable(service)]).replace(/\/$/, '');
  return { urls, timeoutMs: (values[UPSTREAM_TIMEOUT_VARIABLE] as number | undefined) ?? DEFAULT_UPSTREAM_TIMEOUT_MS };
}
