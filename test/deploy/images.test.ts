/**
 * Every image's start command works from a production build: each Dockerfile
 * is replayed into a file tree (built output and production dependencies
 * only), then its migration Job's command and its CMD run there with plain
 * node — as an unprivileged user, against a real PostgreSQL database — and
 * answer /health, /ready and the image's own HEALTHCHECK.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { activeServices, imageOf, upstreamUrls } from '../../packages/cli/src/services.ts';
import { contextFiles, replayDockerfile, type ReplayedImage } from './support/dockerfile-replay.ts';
import { freePort, runToEnd, startProcess, waitFor } from './support/processes.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sandbox = mkdtempSync(join(tmpdir(), 'fusion-images-'));
chmodSync(sandbox, 0o755);

const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  HOST: '127.0.0.1',
  MIGRATE_ON_START: 'false',
  AUTH_SIGNING_KEYS: 'k2026:production-like-signing-key-0123456789abcdef',
  ADMIN_EMAIL: 'owner@shop.example.com',
  ADMIN_PASSWORD: 'a-long-production-password',
  PAYMENTS_PROVIDER: 'test',
  FUSION_DEMO_DATA: 'false',
};

let db: TestDatabase;
let context: string[];
let sharedStages: Map<string, string> | undefined;

/** The container's environment: the image's ENV (its /tmp and /data inside the tree) plus what compose or Kubernetes sets. */
function containerEnv(image: ReplayedImage, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(image.fsRoot, 'home', 'nobody') };
  for (const [k, v] of Object.entries(image.env)) env[k] = v.startsWith('/tmp') || v.startsWith('/data') ? join(image.fsRoot, v) : v;
  return { ...env, ...extra };
}

function writableMounts(image: ReplayedImage): void {
  // What compose's tmpfs and Kubernetes' emptyDir give a read-only container: /tmp, and /data for the embedded database.
  for (const dir of ['tmp', ...image.volumes.map((v) => v.replace(/^\//, ''))]) {
    mkdirSync(join(image.fsRoot, dir), { recursive: true });
    chmodSync(join(image.fsRoot, dir), 0o1777);
  }
}

beforeAll(async () => {
  db = await createTestDatabase('postgres');
  context = contextFiles(root);
}, 120_000);

afterAll(async () => {
  await db?.close();
  rmSync(sandbox, { recursive: true, force: true });
});

describe('images (Dockerfiles replayed into production trees)', () => {
  // The gateway last: in embedded mode it mounts the services whose schemas the migration Jobs created.
  const services = [...activeServices()].sort((a, b) => Number(a.kind === 'gateway') - Number(b.kind === 'gateway'));

  for (const service of services) {
    const hasCode = existsSync(join(root, service.dir, 'src', service.kind === 'gateway' ? 'main.ts' : 'server.ts'));
    it.skipIf(!hasCode)(`${imageOf(service)}: its start command runs the built service with production dependencies only, as a non-root user`, async () => {
      const dockerfile = join(root, service.dir, 'Dockerfile');
      expect(existsSync(dockerfile), `${service.dir}/Dockerfile`).toBe(true);
      const image = replayDockerfile({ root, dockerfile, sandbox: join(sandbox, service.name), context, reuseStages: sharedStages });
      sharedStages ??= new Map([...image.stages].filter(([name]) => name !== 'runtime'));
      writableMounts(image);

      // What the image holds: built JavaScript and production dependencies, no sources, no dev tools.
      expect(image.user).toBe('node');
      expect(image.exposed).toEqual([service.port]);
      expect(relative(image.fsRoot, image.workdir)).toBe(join('app', service.dir));
      const modules = join(image.fsRoot, 'app', 'node_modules');
      for (const devOnly of ['typescript', 'vitest', 'tsx', 'eslint', 'kubernetes-models']) expect(existsSync(join(modules, devOnly)), `${devOnly} in the image`).toBe(false);
      for (const prod of ['fastify', 'knex', 'pg']) expect(existsSync(join(modules, prod)), `${prod} in the image`).toBe(true);
      expect(existsSync(join(image.workdir, 'src')), 'TypeScript sources in the image').toBe(false);
      expect(readdirSync(join(image.workdir, 'dist', 'src')).some((f) => f.endsWith('.js'))).toBe(true);

      const port = await freePort();
      const env = containerEnv(image, { ...PRODUCTION_ENV, DATABASE_URL: db.url as string, PORT: String(port) });

      if (service.kind === 'service') {
        // The migration Job (deploy/k8s) and guide 004 §7.1: `npx knex migrate:latest` in the image's directory.
        const migrate = await runToEnd('npx', ['knex', 'migrate:latest'], { cwd: image.workdir, env });
        expect(migrate.code, migrate.output).toBe(0);
        expect(migrate.output).toMatch(/Batch \d+ run|Already up to date/);
        const status = await runToEnd('npx', ['knex', 'migrate:status'], { cwd: image.workdir, env });
        expect(status.code, status.output).toBe(0);
        expect(status.output).toContain('No Pending Migration files Found.');
        // The fusion CLI ships in every image, runs on the built files, and in a service's directory means that service.
        const fusion = await runToEnd('npx', ['fusion', 'migrate', 'status', '--check'], { cwd: image.workdir, env });
        expect(fusion.code, fusion.output).toBe(0);
        expect(fusion.output).toMatch(new RegExp(`${service.name} \\(schema \\w+\\): \\d+ applied, none pending`));
        expect(fusion.output.match(/\(schema /g)).toHaveLength(1);
      }

      const [command, ...args] = image.cmd;
      expect(command).toBe('node');
      const started = startProcess(process.execPath, args, { cwd: image.workdir, env });
      try {
        await waitFor(`http://127.0.0.1:${port}/health`, started);
        const ready = await waitFor(`http://127.0.0.1:${port}/ready`, started);
        expect(((await ready.json()) as { status: string }).status).toBe('ready');
        const info = (await (await fetch(`http://127.0.0.1:${port}/info`)).json()) as { service: string };
        expect(info.service).toBe(service.name);
        if (service.kind === 'gateway') {
          // The gateway image carries the built storefront and admin console.
          const storefront = await fetch(`http://127.0.0.1:${port}/`);
          expect(storefront.status).toBe(200);
          expect(storefront.headers.get('content-type')).toMatch(/text\/html/);
          expect(await storefront.text()).toMatch(/<script type="module"/);
        }

        // The image's HEALTHCHECK command, as Docker runs it inside the container.
        expect(image.healthcheck?.[0]).toBe('node');
        const health = await runToEnd(process.execPath, (image.healthcheck ?? []).slice(1), { cwd: image.workdir, env });
        expect(health.code, health.output).toBe(0);
      } finally {
        expect(await started.stop()).toBe(0);
      }

      if (service.kind === 'gateway') {
        // As compose and Kubernetes run it: proxying, with no database at all. No service answers here, so a
        // business route is the 502 problem, and the gateway itself stays up and ready.
        const nowhere = Object.fromEntries(Object.keys(upstreamUrls()).map((name) => [name, 'http://127.0.0.1:9']));
        const deployed = { ...PRODUCTION_ENV, PORT: String(port), ...nowhere };
        const proxying = startProcess(process.execPath, args, { cwd: image.workdir, env: containerEnv(image, deployed) });
        try {
          await waitFor(`http://127.0.0.1:${port}/ready`, proxying);
          const proxied = await fetch(`http://127.0.0.1:${port}/v1/products`);
          expect(proxied.status).toBe(502);
          expect(((await proxied.json()) as { code: string }).code).toBe('GATEWAY.UPSTREAM_UNAVAILABLE');
        } finally {
          expect(await proxying.stop()).toBe(0);
        }
      }
    });
  }
});
