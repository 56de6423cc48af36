/**
 * The one list of deployable processes: name, directory, port and how each is
 * run and scaled. The Dockerfiles, docker-compose.yml and deploy/k8s are
 * generated from it (`npx fusion generate`) and the deploy tests check them
 * against it. Adding a service: add (or un-plan) its entry, run the generator.
 */
import { upstreamUrlVariable } from '@fusioncommerce/platform';

export interface Scaling {
  minReplicas: number;
  maxReplicas: number;
  /** Target average CPU utilisation, percent. */
  cpuPercent: number;
}

export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export interface ServiceSpec {
  name: string;
  kind: 'service' | 'gateway';
  /** Workspace directory, relative to the repository root. */
  dir: string;
  /** The database schema it owns, as its src/migrations.ts declares it (ARCHITECTURE §2); the gateway owns none. */
  schema?: string;
  port: number;
  summary: string;
  /** Reserved in ARCHITECTURE §2 but not written yet: no image, compose entry or manifests. */
  planned?: boolean;
  scaling: Scaling;
  resources?: Resources;
  /** Other services whose pods call this one over HTTP (the gateway always may). */
  calledBy?: string[];
  /** Reaches the internet over HTTPS (a payment provider, a mail API). */
  internetEgress?: boolean;
  /** Non-secret settings of its own, into its ConfigMap. */
  config?: Record<string, string>;
  /** Keys of its Secret `<name>-secrets`, DATABASE_URL included; none means no Secret. */
  secrets?: { key: string; optional?: boolean; description: string }[];
  /**
   * A demo data loader for `fusion seed`: a module under the service dir, its
   * export `(knex, { onProgress })`, and the table whose rows mean "already seeded".
   */
  seed?: { module: string; export: string; label: string; table: string };
}

/** Guide 004 §6.3: the service template's requests and limits. */
export const DEFAULT_RESOURCES: Resources = {
  requests: { cpu: '500m', memory: '512Mi' },
  limits: { cpu: '1000m', memory: '1Gi' },
};

const database = { key: 'DATABASE_URL', description: 'postgres://user:password@host:5432/fusioncommerce — this service’s database (guide 004 §8.1)' };

export const SERVICES: ServiceSpec[] = [
  {
    name: 'catalog',
    kind: 'service',
    dir: 'services/catalog',
    schema: 'catalog',
    port: 3000,
    summary: 'products, variants, categories, search',
    scaling: { minReplicas: 2, maxReplicas: 8, cpuPercent: 70 },
    calledBy: ['orders', 'group-commerce'],
    secrets: [database],
    seed: { module: 'src/demo/demo-catalog', export: 'seedDemoCatalog', label: 'demo catalog', table: 'catalog.products' },
  },
  {
    name: 'orders',
    kind: 'service',
    dir: 'services/orders',
    schema: 'orders',
    port: 3001,
    summary: 'carts, checkout, orders',
    scaling: { minReplicas: 2, maxReplicas: 10, cpuPercent: 70 },
    calledBy: ['group-commerce'],
    secrets: [database],
  },
  {
    name: 'inventory',
    kind: 'service',
    dir: 'services/inventory',
    schema: 'inventory',
    port: 3002,
    summary: 'stock per SKU and location, reservations',
    scaling: { minReplicas: 2, maxReplicas: 10, cpuPercent: 70 },
    calledBy: ['orders', 'group-commerce'],
    secrets: [database],
  },
  {
    name: 'group-commerce',
    kind: 'service',
    dir: 'services/group-commerce',
    schema: 'group_commerce',
    port: 3003,
    summary: 'group deals and groups',
    scaling: { minReplicas: 1, maxReplicas: 5, cpuPercent: 70 },
    secrets: [database],
  },
  {
    name: 'payments',
    kind: 'service',
    dir: 'services/payments',
    schema: 'payments',
    port: 3004,
    summary: 'payment intents, test and Stripe providers',
    scaling: { minReplicas: 2, maxReplicas: 8, cpuPercent: 60 },
    calledBy: ['orders', 'group-commerce'],
    internetEgress: true,
    config: { PAYMENTS_PROVIDER: 'test' },
    secrets: [
      database,
      { key: 'STRIPE_SECRET_KEY', optional: true, description: 'sk_live_… — needed when PAYMENTS_PROVIDER=stripe' },
      { key: 'STRIPE_WEBHOOK_SECRET', optional: true, description: 'whsec_… — needed when PAYMENTS_PROVIDER=stripe' },
    ],
  },
  {
    name: 'shipping',
    kind: 'service',
    dir: 'services/shipping',
    schema: 'shipping',
    port: 3005,
    summary: 'shipping options, rates, shipments',
    scaling: { minReplicas: 1, maxReplicas: 5, cpuPercent: 70 },
    calledBy: ['orders'],
    secrets: [database],
    seed: { module: 'src/demo/demo-shipping', export: 'seedDemoShipping', label: 'demo shipping options', table: 'shipping.options' },
  },
  {
    name: 'customers',
    kind: 'service',
    dir: 'services/customers',
    schema: 'customers',
    port: 3006,
    summary: 'accounts, sign-in, roles, addresses',
    // Not in guide 004's table (it predates the service): sized like catalog, sign-in hashes are CPU-bound.
    scaling: { minReplicas: 2, maxReplicas: 8, cpuPercent: 70 },
    calledBy: ['orders', 'group-commerce'],
    secrets: [
      database,
      { key: 'ADMIN_EMAIL', description: 'the first admin account, created at start-up when missing' },
      { key: 'ADMIN_PASSWORD', description: 'at least 12 characters; refused in production when missing or a default' },
    ],
  },
  {
    name: 'webhooks',
    kind: 'service',
    dir: 'services/webhooks',
    schema: 'webhooks',
    port: 3007,
    summary: 'outbound webhooks: subscriptions, signed deliveries, retries, replay',
    // Not in guide 004's table: deliveries wait on receivers, not on CPU; a few replicas share them (SKIP LOCKED).
    scaling: { minReplicas: 1, maxReplicas: 3, cpuPercent: 70 },
    // Receivers are the shop's tools on the internet (n8n cloud, Zapier, a CRM): HTTPS out.
    internetEgress: true,
    // Refused in the cluster unless an operator opts in (docs/webhooks.md); compose allows them, n8n lives there.
    config: { WEBHOOKS_ALLOW_PRIVATE_URLS: 'false' },
    secrets: [database],
  },
  {
    name: 'gateway',
    kind: 'gateway',
    dir: 'apps/gateway',
    port: 8000,
    summary: 'one entry point; proxies to the services, or mounts them all in one process (embedded mode)',
    // Not in guide 004's table: the public entry point, kept at two pods at least.
    scaling: { minReplicas: 2, maxReplicas: 6, cpuPercent: 70 },
    // Deployed, it proxies (upstreamUrls below): no database, no events, no Secret of its own, only the shared keyring.
  },
];

/** Infrastructure the services talk to, with the ports compose publishes and policies allow. */
export const INFRASTRUCTURE = {
  postgres: { image: 'postgres:15', port: 5432 },
  redpanda: { image: 'redpandadata/redpanda:v24.2.7', kafkaPort: 9092, externalKafkaPort: 19092, consolePort: 8080 },
  n8n: { image: 'n8nio/n8n:1.70.1', port: 5678 },
} as const;

/** Shared by every process: the JWT keyring (all services verify the same tokens). */
export const SHARED_SECRET = {
  name: 'fusioncommerce-auth',
  keys: [{ key: 'AUTH_SIGNING_KEYS', description: 'kid:secret[,kid:secret] — the first signs; generate with `openssl rand -base64 32`' }],
};

export const IMAGE_PREFIX = 'fusioncommerce';

/** Services with an image, compose entry and manifests (not planned). */
export function activeServices(list: ServiceSpec[] = SERVICES): ServiceSpec[] {
  return list.filter((s) => !s.planned);
}

export function findService(name: string, list: ServiceSpec[] = SERVICES): ServiceSpec {
  const found = list.find((s) => s.name === name);
  if (!found) throw new Error(`unknown service "${name}"; known: ${list.map((s) => s.name).join(', ')}`);
  return found;
}

export function imageOf(service: ServiceSpec): string {
  return `${IMAGE_PREFIX}/${service.name}`;
}

/** Kubernetes and compose name of a process: `catalog-service`, as guide 004 names them; the gateway is `gateway`. */
export function workloadName(service: ServiceSpec): string {
  return service.kind === 'gateway' ? 'gateway' : `${service.name}-service`;
}

/**
 * What the deployed gateway proxies to: `<SERVICE>_SERVICE_URL` per service,
 * the compose service or Kubernetes Service of the same name on its port.
 * With these set the gateway runs in proxy mode (apps/gateway/src/main.ts).
 */
export function upstreamUrls(list: ServiceSpec[] = SERVICES): Record<string, string> {
  return Object.fromEntries(activeServices(list).filter((s) => s.kind === 'service').map((s) => [upstreamUrlVariable(s.name), `http://${workloadName(s)}:${s.port}`]));
}

/** The database schema a service owns (ARCHITECTURE §2); the gateway owns none. */
export function schemaOf(service: ServiceSpec): string | undefined {
  return service.schema;
}
