/**
 * The proxying gateway's OpenAPI document: every upstream's /openapi.json,
 * fetched when asked for and kept briefly, merged into one, so /docs shows
 * the whole API as it does in embedded mode. Each service contributes the
 * paths it owns (route-ownership.ts) and the event operator paths they all
 * share; a service that does not answer leaves its paths out, is named in
 * the description, and is asked again a few seconds later.
 */
import { EVENT_ADMIN_PREFIXES, ROUTE_OWNERSHIP, ownersOf, underPrefix } from './route-ownership.ts';
import { jsonOf, type UpstreamClient } from './upstream-client.ts';

interface OpenApiDocument {
  openapi?: string;
  info?: { title?: string; description?: string; version?: string };
  components?: Record<string, Record<string, unknown> | undefined>;
  paths?: Record<string, unknown>;
  tags?: { name: string }[];
  [key: string]: unknown;
}

export interface MergedOpenApiOptions {
  client: UpstreamClient;
  /** The gateway's own document (its info and security schemes). */
  own: () => Record<string, unknown>;
  /** How long a complete document is kept (default 30 s); one missing a service is kept 5 s. */
  cacheMs?: number;
  now?: () => number;
}

const INCOMPLETE_CACHE_MS = 5_000;

const sharedByEveryService = (path: string) => EVENT_ADMIN_PREFIXES.some((prefix) => underPrefix(path, prefix));

export function mergedOpenApi(options: MergedOpenApiOptions): () => Promise<Record<string, unknown>> {
  const now = options.now ?? Date.now;
  let cached: { document: Record<string, unknown>; until: number } | undefined;
  let building: Promise<Record<string, unknown>> | undefined;

  async function build(): Promise<Record<string, unknown>> {
    const own = options.own() as OpenApiDocument;
    const fetched = await Promise.all(
      ROUTE_OWNERSHIP.map(async ({ service }) => {
        try {
          const answer = await options.client.request(service, '/openapi.json');
          const document = answer.status === 200 ? jsonOf<OpenApiDocument>(answer) : undefined;
          return { service, document };
        } catch {
          return { service, document: undefined };
        }
      }),
    );

    const paths: Record<string, unknown> = {};
    const components: Record<string, Record<string, unknown>> = {};
    const tags = new Map<string, { name: string }>();
    for (const { service, document } of fetched) {
      if (!document) continue;
      for (const [path, item] of Object.entries(document.paths ?? {})) {
        const owned = ownersOf(path).includes(service);
        if ((owned || sharedByEveryService(path)) && !(path in paths)) paths[path] = item;
      }
      for (const [section, entries] of Object.entries(document.components ?? {})) {
        components[section] = { ...(entries ?? {}), ...components[section] };
      }
      for (const tag of document.tags ?? []) if (!tags.has(tag.name)) tags.set(tag.name, tag);
    }
    for (const [section, entries] of Object.entries(own.components ?? {})) components[section] = { ...components[section], ...(entries ?? {}) };

    const missing = fetched.filter((f) => !f.document).map((f) => f.service);
    const description = [
      own.info?.description ?? '',
      missing.length > 0 ? `Not shown: the ${missing.join(', ')} API${missing.length > 1 ? 's' : ''} (the service did not answer; reload in a few seconds).` : '',
    ]
      .filter(Boolean)
      .join(' ');
    const document: Record<string, unknown> = {
      ...own,
      info: { ...own.info, description },
      components,
      paths,
      ...(tags.size > 0 ? { tags: [...tags.values()] } : {}),
    };
    cached = { document, until: now() + (missing.length > 0 ? INCOMPLETE_CACHE_MS : (options.cacheMs ?? 30_000)) };
    return document;
  }

  return async () => {
    if (cached && cached.until > now()) return cached.document;
    // One fetch at a time: a burst of /docs visits asks each service once.
    building ??= build().finally(() => {
      building = undefined;
    });
    return building;
  };
}
