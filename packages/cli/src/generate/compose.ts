/**
 * docker-compose.yml: guide 004 §3.3's service map. Infrastructure (postgres,
 * redpanda and its console, n8n) starts with `docker-compose up -d`; the
 * platform's processes join with `docker-compose --profile services up -d`.
 * Values come from `.env` (see .env.example), with development defaults.
 */
import { INFRASTRUCTURE, SERVICES, activeServices, imageOf, upstreamUrls, workloadName, type ServiceSpec } from '../services.ts';
import { healthcheckCommand } from './dockerfile.ts';

const DATABASE_URL = 'postgresql://${POSTGRES_USER:-postgres}:${POSTGRES_PASSWORD:-postgres}@postgres:5432/${POSTGRES_DB:-ecommerce}';

/** Variables the compose file reads from `.env`, with their defaults (documented in .env.example). */
export const COMPOSE_VARIABLES: { name: string; default: string; description: string }[] = [
  { name: 'FUSION_TAG', default: 'latest', description: 'image tag of the platform’s services (guide 004 §4.3)' },
  { name: 'NODE_ENV', default: 'development', description: 'development | staging | production' },
  { name: 'LOG_LEVEL', default: 'debug', description: 'fatal … trace, or silent' },
  { name: 'POSTGRES_USER', default: 'postgres', description: 'PostgreSQL superuser the services connect as' },
  { name: 'POSTGRES_PASSWORD', default: 'postgres', description: 'its password' },
  { name: 'POSTGRES_DB', default: 'ecommerce', description: 'the shop’s database (one schema per service)' },
  { name: 'AUTH_SIGNING_KEYS', default: '', description: 'kid:secret[,kid:secret]; empty: the development key' },
  { name: 'ADMIN_EMAIL', default: '', description: 'first admin account (customers); empty: the development admin' },
  { name: 'ADMIN_PASSWORD', default: '', description: 'its password, 12+ characters' },
  { name: 'PAYMENTS_PROVIDER', default: 'test', description: 'test | stripe' },
  { name: 'STRIPE_SECRET_KEY', default: '', description: 'with PAYMENTS_PROVIDER=stripe' },
  { name: 'STRIPE_WEBHOOK_SECRET', default: '', description: 'with PAYMENTS_PROVIDER=stripe' },
  {
    name: 'WEBHOOKS_ALLOW_PRIVATE_URLS',
    default: 'true',
    description: 'webhook receivers on private addresses (n8n is one, on the compose network); false: public receivers only (docs/webhooks.md)',
  },
  { name: 'N8N_BASIC_AUTH_USER', default: 'admin', description: 'n8n login (guide 004 §2.2; n8n 1.x asks to create an owner account instead)' },
  { name: 'N8N_BASIC_AUTH_PASSWORD', default: 'changeme', description: 'n8n password' },
];

const declared = (name: string) => COMPOSE_VARIABLES.some((x) => x.name === name);

const v = (name: string) => {
  const found = COMPOSE_VARIABLES.find((x) => x.name === name);
  if (!found) throw new Error(`undeclared compose variable ${name}`);
  return `\${${name}:-${found.default}}`;
};

const healthy = { condition: 'service_healthy' };

function processEnvironment(service: ServiceSpec, list: ServiceSpec[]): Record<string, string> {
  if (service.kind === 'gateway') {
    // The gateway proxies to the services by their compose names: no database, no broker, no demo data of its own.
    return { NODE_ENV: v('NODE_ENV'), LOG_LEVEL: v('LOG_LEVEL'), PORT: String(service.port), AUTH_SIGNING_KEYS: v('AUTH_SIGNING_KEYS'), ...upstreamUrls(list) };
  }
  const env: Record<string, string> = {
    NODE_ENV: v('NODE_ENV'),
    LOG_LEVEL: v('LOG_LEVEL'),
    PORT: String(service.port),
    DATABASE_URL,
    KAFKA_BROKERS: `redpanda:${INFRASTRUCTURE.redpanda.kafkaPort}`,
    AUTH_SIGNING_KEYS: v('AUTH_SIGNING_KEYS'),
    // Shoppers come through the gateway: believe the one hop it adds to X-Forwarded-For (sign-in throttling counts by address).
    TRUST_PROXY: '1',
  };
  // What the service's ConfigMap and Secret hold in Kubernetes, so that no setting reaches one and silently not the other.
  // A setting .env may change is read from it; any other keeps its value. Its own settings come last, as its ConfigMap does.
  for (const [key, value] of Object.entries(service.config ?? {})) env[key] = declared(key) ? v(key) : value;
  for (const { key } of service.secrets ?? []) {
    if (key === 'DATABASE_URL') continue; // compose's own postgres, above
    // A secret has no value to write here: it comes from .env, with a development default.
    if (!declared(key)) throw new Error(`${service.name}'s secret ${key} has no compose variable: declare it in COMPOSE_VARIABLES with a development default`);
    env[key] = v(key);
  }
  return env;
}

export function composeModel(list: ServiceSpec[] = SERVICES): Record<string, unknown> {
  const { postgres, redpanda, n8n } = INFRASTRUCTURE;
  const services: Record<string, unknown> = {
    postgres: {
      image: postgres.image,
      environment: { POSTGRES_USER: v('POSTGRES_USER'), POSTGRES_PASSWORD: v('POSTGRES_PASSWORD'), POSTGRES_DB: v('POSTGRES_DB') },
      ports: [`${postgres.port}:5432`],
      volumes: ['postgres-data:/var/lib/postgresql/data', './deploy/compose/postgres-init.sql:/docker-entrypoint-initdb.d/10-databases.sql:ro'],
      healthcheck: {
        test: ['CMD-SHELL', 'pg_isready -U "$${POSTGRES_USER}" -d "$${POSTGRES_DB}"'],
        interval: '5s',
        timeout: '5s',
        retries: 20,
      },
      restart: 'unless-stopped',
    },
    redpanda: {
      image: redpanda.image,
      command: [
        'redpanda',
        'start',
        '--mode',
        'dev-container',
        '--smp',
        '1',
        '--kafka-addr',
        `internal://0.0.0.0:${redpanda.kafkaPort},external://0.0.0.0:${redpanda.externalKafkaPort}`,
        '--advertise-kafka-addr',
        `internal://redpanda:${redpanda.kafkaPort},external://localhost:${redpanda.externalKafkaPort}`,
      ],
      // Host clients reach the external listener on 19092, or on 9092 as guide 004's KAFKA_BROKERS=localhost:9092 has it.
      ports: [`${redpanda.kafkaPort}:${redpanda.externalKafkaPort}`, `${redpanda.externalKafkaPort}:${redpanda.externalKafkaPort}`],
      volumes: ['redpanda-data:/var/lib/redpanda/data'],
      healthcheck: { test: ['CMD-SHELL', "rpk cluster health | grep -E 'Healthy:.+true' || exit 1"], interval: '5s', timeout: '5s', retries: 30 },
      restart: 'unless-stopped',
    },
    'redpanda-console': {
      image: 'docker.redpanda.com/redpandadata/console:v2.7.2',
      environment: { KAFKA_BROKERS: `redpanda:${redpanda.kafkaPort}` },
      ports: [`${redpanda.consolePort}:8080`],
      depends_on: { redpanda: healthy },
      restart: 'unless-stopped',
    },
    n8n: {
      image: n8n.image,
      environment: {
        DB_TYPE: 'postgresdb',
        DB_POSTGRESDB_HOST: 'postgres',
        DB_POSTGRESDB_PORT: '5432',
        DB_POSTGRESDB_DATABASE: 'n8n',
        DB_POSTGRESDB_USER: v('POSTGRES_USER'),
        DB_POSTGRESDB_PASSWORD: v('POSTGRES_PASSWORD'),
        N8N_BASIC_AUTH_ACTIVE: 'true',
        N8N_BASIC_AUTH_USER: v('N8N_BASIC_AUTH_USER'),
        N8N_BASIC_AUTH_PASSWORD: v('N8N_BASIC_AUTH_PASSWORD'),
        N8N_SECURE_COOKIE: 'false',
        WEBHOOK_URL: `http://localhost:${n8n.port}/`,
        // deploy/n8n's workflows verify the shop's webhook signatures in a Code node with node:crypto.
        NODE_FUNCTION_ALLOW_BUILTIN: 'crypto',
      },
      ports: [`${n8n.port}:5678`],
      volumes: ['n8n-data:/home/node/.n8n'],
      depends_on: { postgres: healthy },
      healthcheck: { test: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:5678/healthz || exit 1'], interval: '10s', timeout: '5s', retries: 30 },
      restart: 'unless-stopped',
    },
  };

  const platform = activeServices(list);
  for (const service of platform) {
    // The gateway talks to the services only: it opens once they answer.
    const dependsOn: Record<string, unknown> = service.kind === 'gateway' ? {} : { postgres: healthy, redpanda: healthy };
    if (service.kind === 'gateway') for (const other of platform.filter((s) => s.kind === 'service')) dependsOn[workloadName(other)] = healthy;
    services[workloadName(service)] = {
      image: `${imageOf(service)}:${v('FUSION_TAG')}`,
      build: { context: '.', dockerfile: `${service.dir}/Dockerfile` },
      profiles: ['services'],
      environment: processEnvironment(service, list),
      ports: [`${service.port}:${service.port}`],
      depends_on: dependsOn,
      healthcheck: { test: ['CMD', ...healthcheckCommand(service.port)], interval: '10s', timeout: '5s', retries: 5, start_period: '30s' },
      read_only: true,
      tmpfs: ['/tmp'],
      // The gateway's maintenance flag (`fusion maintenance on` in its container) lives in /data.
      ...(service.kind === 'gateway' ? { volumes: ['gateway-data:/data'] } : {}),
      security_opt: ['no-new-privileges:true'],
      cap_drop: ['ALL'],
      restart: 'unless-stopped',
    };
  }

  const volumes: Record<string, null> = { 'postgres-data': null, 'redpanda-data': null, 'n8n-data': null };
  if (platform.some((s) => s.kind === 'gateway')) volumes['gateway-data'] = null;
  return { name: 'fusioncommerce', services, volumes };
}

export function envExample(): string {
  const lines = [
    '# Settings for docker-compose.yml: copy to .env and change what you need (.env is not committed).',
    '# Every value shown is the default the compose file uses when the variable is unset.',
    '',
  ];
  for (const variable of COMPOSE_VARIABLES) lines.push(`# ${variable.description}`, `${variable.name}=${variable.default}`, '');
  return lines.join('\n');
}

export const POSTGRES_INIT_SQL = [
  '-- Runs once, when the postgres container initialises an empty data volume.',
  '-- The shop lives in POSTGRES_DB (one schema per service); n8n keeps its own database.',
  'CREATE DATABASE n8n;',
  '',
].join('\n');
