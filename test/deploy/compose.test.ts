/**
 * docker-compose.yml validates against the rules `docker compose config`
 * applies (there is no Docker engine here to ask) and against guide 004
 * §3.3's service map and the service list: known keys only, every
 * dependency exists and is healthy-checkable when waited on, no cycles,
 * named volumes declared, every variable documented in .env.example, the
 * platform's processes under the `services` profile on their ports.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMPOSE_VARIABLES, composeModel } from '../../packages/cli/src/generate/compose.ts';
import { upstreamUrlVariable } from '@fusioncommerce/platform';
import { INFRASTRUCTURE, SERVICES, activeServices, findService, imageOf, workloadName, type ServiceSpec } from '../../packages/cli/src/services.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  profiles?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  [key: string]: unknown;
}
interface ComposeFile {
  name: string;
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}
const compose = parse(text) as ComposeFile;

// The compose specification's service keys this file may use (a typo is not silently ignored here).
const SERVICE_KEYS = new Set([
  'image', 'build', 'command', 'entrypoint', 'environment', 'env_file', 'ports', 'expose', 'volumes', 'depends_on', 'healthcheck', 'profiles',
  'restart', 'read_only', 'tmpfs', 'security_opt', 'cap_drop', 'cap_add', 'user', 'working_dir', 'networks', 'labels', 'deploy', 'ulimits',
]);
const CONDITIONS = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);
const hostPort = (mapping: string) => Number(mapping.split(':')[0]);

describe('docker-compose.yml', () => {
  it('has only known top-level and service keys, and every service has an image', () => {
    expect(Object.keys(compose).every((k) => ['name', 'services', 'volumes', 'networks', 'configs', 'secrets'].includes(k))).toBe(true);
    for (const [name, service] of Object.entries(compose.services)) {
      expect(Object.keys(service).filter((k) => !SERVICE_KEYS.has(k)), name).toEqual([]);
      expect(service.image, name).toBeTruthy();
      if (service.build) expect(existsSync(join(root, service.build.context, service.build.dockerfile)), `${name} build`).toBe(true);
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^\d+:\d+$/);
      if (service.healthcheck) expect(['CMD', 'CMD-SHELL']).toContain(service.healthcheck.test[0]);
    }
  });

  it('waits only on services that exist, with a health check when it waits for health, without cycles or waiting across profiles', () => {
    const names = Object.keys(compose.services);
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(names, `${name} → ${dependency}`).toContain(dependency);
        expect(CONDITIONS.has(condition)).toBe(true);
        const target = compose.services[dependency] as ComposeService;
        if (condition === 'service_healthy') expect(target.healthcheck, `${dependency} has no healthcheck for ${name} to wait on`).toBeDefined();
        // A service started without a profile must not wait on one that only starts with it.
        if (!service.profiles) expect(target.profiles, `${name} waits on profiled ${dependency}`).toBeUndefined();
      }
    }
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (name: string, path: string[]) => {
      if (done.has(name)) return;
      if (visiting.has(name)) throw new Error(`depends_on cycle: ${[...path, name].join(' → ')}`);
      visiting.add(name);
      for (const next of Object.keys(compose.services[name]?.depends_on ?? {})) visit(next, [...path, name]);
      visiting.delete(name);
      done.add(name);
    };
    for (const name of names) visit(name, []);
  });

  it('declares every named volume it mounts and documents every variable in .env.example', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] as string;
        if (source.startsWith('.') || source.startsWith('/')) expect(existsSync(join(root, source)), `${name}: ${source}`).toBe(true);
        else expect(Object.keys(compose.volumes), name).toContain(source);
      }
    }
    const used = new Set([...text.matchAll(/(?<!\$)\$\{([A-Z0-9_]+)(?::?-[^}]*)?\}/g)].map((m) => m[1] as string));
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    for (const variable of used) expect(example, variable).toMatch(new RegExp(`^${variable}=`, 'm'));
    expect(COMPOSE_VARIABLES.map((v) => v.name).sort()).toEqual([...used].sort());
  });

  it('runs guide 004 §3.3’s infrastructure without a profile: postgres:15, redpanda, n8n 1.70.1 on postgres', () => {
    const { postgres, redpanda, n8n } = compose.services as Record<string, ComposeService>;
    expect(postgres?.image).toBe(INFRASTRUCTURE.postgres.image);
    expect(postgres?.ports?.map(hostPort)).toEqual([5432]);
    expect(redpanda?.ports?.map(hostPort)).toEqual([9092, 19092]);
    expect(compose.services['redpanda-console']?.ports?.map(hostPort)).toEqual([8080]);
    expect(n8n?.image).toBe('n8nio/n8n:1.70.1');
    expect(n8n?.ports?.map(hostPort)).toEqual([5678]);
    expect(Object.keys(n8n?.depends_on ?? {})).toEqual(['postgres']);
    for (const name of ['postgres', 'redpanda', 'redpanda-console', 'n8n']) expect(compose.services[name]?.profiles).toBeUndefined();
  });

  it.each(activeServices().map((s) => [workloadName(s), s] as const))('runs %s under the services profile on its port, hardened, after its infrastructure is healthy', (name, service) => {
    const entry = compose.services[name] as ComposeService;
    expect(entry.profiles).toEqual(['services']);
    expect(entry.image).toBe(`${imageOf(service)}:\${FUSION_TAG:-latest}`);
    expect(entry.build).toEqual({ context: '.', dockerfile: `${service.dir}/Dockerfile` });
    expect(entry.ports).toEqual([`${service.port}:${service.port}`]);
    expect(entry.environment?.PORT).toBe(String(service.port));
    if (service.kind === 'service') {
      expect(entry.environment?.DATABASE_URL).toMatch(/^postgresql:\/\/.*@postgres:5432\//);
      expect(entry.environment?.KAFKA_BROKERS).toBe('redpanda:9092');
      expect(entry.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' }, redpanda: { condition: 'service_healthy' } });
    }
    expect(entry.healthcheck?.test.join(' ')).toContain('/health');
    expect(entry).toMatchObject({ read_only: true, tmpfs: ['/tmp'], cap_drop: ['ALL'], security_opt: ['no-new-privileges:true'] });
  });

  it('runs the gateway as a proxy to every service by its compose name and port, without a database, a broker or demo data of its own', () => {
    const gateway = compose.services.gateway as ComposeService;
    const services = activeServices().filter((s) => s.kind === 'service');
    for (const service of services) {
      const upstream = new URL(gateway.environment?.[upstreamUrlVariable(service.name)] as string);
      expect(compose.services[upstream.hostname], upstream.hostname).toBeDefined();
      expect(upstream.hostname).toBe(workloadName(service));
      expect(Number(upstream.port)).toBe(service.port);
      expect(compose.services[upstream.hostname]?.environment?.PORT).toBe(upstream.port);
    }
    for (const unused of ['DATABASE_URL', 'KAFKA_BROKERS', 'FUSION_DEMO_DATA', 'ADMIN_PASSWORD', 'STRIPE_SECRET_KEY']) expect(gateway.environment, unused).not.toHaveProperty(unused);
    expect(gateway.environment?.AUTH_SIGNING_KEYS).toBe('${AUTH_SIGNING_KEYS:-}');
    // It opens once every service answers, and waits on nothing else.
    expect(Object.keys(gateway.depends_on ?? {}).sort()).toEqual(services.map(workloadName).sort());
    for (const { condition } of Object.values(gateway.depends_on ?? {})) expect(condition).toBe('service_healthy');
  });

  it('uses every port of ARCHITECTURE §2 once: one per service, no clashes with the infrastructure', () => {
    const ports = Object.values(compose.services).flatMap((s) => (s.ports ?? []).map(hostPort));
    expect(new Set(ports).size).toBe(ports.length);
    for (const service of activeServices()) expect(ports).toContain(service.port);
  });

  it.each(activeServices().map((s) => [workloadName(s), s] as const))('gives %s every setting its ConfigMap and Secret hold in Kubernetes', (name, service) => {
    const environment = compose.services[name]?.environment ?? {};
    const declared = new Set(COMPOSE_VARIABLES.map((v) => v.name));
    for (const [key, value] of Object.entries(service.config ?? {})) expect(environment[key], key).toBe(declared.has(key) ? `\${${key}:-${COMPOSE_VARIABLES.find((v) => v.name === key)?.default}}` : value);
    for (const { key } of service.secrets ?? []) expect(environment, key).toHaveProperty(key);
  });
});

describe('compose environment of a service', () => {
  const environmentOf = (spec: ServiceSpec) => {
    const model = composeModel(SERVICES.map((s) => (s.name === spec.name ? spec : s))) as { services: Record<string, ComposeService> };
    return model.services[workloadName(spec)]?.environment ?? {};
  };

  it('when a setting is added to its config, then compose passes it: from .env when it is a compose variable, as written otherwise', () => {
    const payments = findService('payments');
    const environment = environmentOf({ ...payments, config: { ...payments.config, PAYMENTS_CAPTURE_DELAY_MS: '250' } });
    expect(environment.PAYMENTS_CAPTURE_DELAY_MS).toBe('250');
    expect(environment.PAYMENTS_PROVIDER).toBe('${PAYMENTS_PROVIDER:-test}');
    expect(environment.STRIPE_SECRET_KEY).toBe('${STRIPE_SECRET_KEY:-}');
  });

  it('when a secret has no compose variable, then generating refuses, naming it, rather than leave it out', () => {
    const catalog = findService('catalog');
    expect(() => environmentOf({ ...catalog, secrets: [...(catalog.secrets ?? []), { key: 'SEARCH_API_KEY', description: 'a search provider' }] })).toThrow(
      "catalog's secret SEARCH_API_KEY has no compose variable: declare it in COMPOSE_VARIABLES with a development default",
    );
  });
});
