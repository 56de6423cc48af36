/**
 * The deployment files are what the generator makes of the service list
 * (`npx fusion generate --check` in CI), and the list agrees with
 * ARCHITECTURE §2, guide 004 §6.4 and the workspaces on disk.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate, generatedFiles } from '../../packages/cli/src/generate/index.ts';
import { SERVICES, activeServices } from '../../packages/cli/src/services.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('generated deployment files', () => {
  it('when the generator runs in check mode, then no file is stale', () => {
    const result = generate(root, { check: true });
    expect(result.stale, 'run `npx fusion generate` and commit the result').toEqual([]);
    expect(result.unchanged.length).toBe(generatedFiles().size);
  });

  it('has a Dockerfile for every active service and the gateway, and none for planned ones', () => {
    for (const service of SERVICES) expect(existsSync(join(root, service.dir, 'Dockerfile')), service.dir).toBe(!service.planned);
  });
});

describe('the service list', () => {
  it('matches ARCHITECTURE §2: names, directories and ports', () => {
    expect(SERVICES.map((s) => [s.name, s.dir, s.port])).toEqual([
      ['catalog', 'services/catalog', 3000],
      ['orders', 'services/orders', 3001],
      ['inventory', 'services/inventory', 3002],
      ['group-commerce', 'services/group-commerce', 3003],
      ['payments', 'services/payments', 3004],
      ['shipping', 'services/shipping', 3005],
      ['customers', 'services/customers', 3006],
      ['webhooks', 'services/webhooks', 3007],
      ['gateway', 'apps/gateway', 8000],
    ]);
  });

  it('scales as guide 004 §6.4 says', () => {
    const table: Record<string, [number, number, number]> = {
      catalog: [2, 8, 70],
      orders: [2, 10, 70],
      inventory: [2, 10, 70],
      'group-commerce': [1, 5, 70],
      payments: [2, 8, 60],
      shipping: [1, 5, 70],
    };
    for (const [name, [min, max, cpu]] of Object.entries(table)) {
      expect(SERVICES.find((s) => s.name === name)?.scaling, name).toEqual({ minReplicas: min, maxReplicas: max, cpuPercent: cpu });
    }
  });

  it('lists as active only workspaces that exist, each with its package.json and start script', () => {
    for (const service of activeServices()) {
      const manifest = join(root, service.dir, 'package.json');
      expect(existsSync(manifest), manifest).toBe(true);
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> };
      expect(pkg.scripts?.start, `${service.dir} npm start`).toBe(service.kind === 'gateway' ? 'node dist/src/main.js' : 'node dist/src/server.js');
    }
  });
});
