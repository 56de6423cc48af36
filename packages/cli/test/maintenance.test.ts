/** `fusion maintenance on|off|status`: the flag file on a laptop or a VM, and a running gateway that obeys it. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_MAINTENANCE_MESSAGE } from '@fusioncommerce/platform';
import { formatMaintenanceReport, runMaintenance } from '../src/maintenance.ts';
import { UsageError } from '../src/usage-error.ts';
import { cli, startPlatform } from './support/platform.ts';

const dir = mkdtempSync(join(tmpdir(), 'fusion-cli-maintenance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runMaintenance', () => {
  it('when run without the command line, then it reports what it did and the formatter words it', async () => {
    const run = (action: 'on' | 'off' | 'status', extra: { message?: string; retryAfter?: string } = {}) =>
      runMaintenance({ action, file: 'flag.json', ...extra, env: {}, cwd: join(dir, 'direct') });
    const file = join(dir, 'direct', 'flag.json');
    expect(await run('status')).toEqual({ action: 'status', status: { on: false, file } });
    const on = await run('on', { message: 'Back soon.', retryAfter: '60' });
    expect(on).toMatchObject({ action: 'on', file, updated: false, notice: { message: 'Back soon.', retryAfterSeconds: 60 } });
    expect(formatMaintenanceReport(on).lines.slice(0, 3)).toEqual([`maintenance mode ON: ${file}`, '  message: Back soon.', '  Retry-After: 60 s']);
    await expect(run('off', { message: 'bye' })).rejects.toThrow(UsageError);
    expect(formatMaintenanceReport(await run('off'))).toEqual({ lines: [expect.stringMatching(`^maintenance mode OFF: removed ${file}`)], warnings: [] });
  });
});

describe('fusion maintenance', () => {
  it('when switched on with a message and a retry hint, then the flag holds them, status shows them, and off removes it', async () => {
    const file = join(dir, 'on-off', 'maintenance.json');
    expect((await cli(['maintenance', 'status', '--file', file])).stdout).toContain(`maintenance mode is OFF (no ${file})`);

    const on = await cli(['maintenance', 'on', '--message', 'Back at 14:00 UTC.', '--retry-after', '600', '--file', file]);
    expect(on.code, on.stderr).toBe(0);
    expect(on.stdout).toContain(`maintenance mode ON: ${file}`);
    const flag = JSON.parse(readFileSync(file, 'utf8')) as { message: string; retryAfterSeconds: number; since: string };
    expect(flag).toMatchObject({ message: 'Back at 14:00 UTC.', retryAfterSeconds: 600 });
    expect(Date.parse(flag.since)).not.toBeNaN();

    const status = await cli(['maintenance', 'status', '--file', file]);
    expect(status.stdout).toContain(`maintenance mode is ON since ${flag.since}`);
    expect(status.stdout).toContain('message: Back at 14:00 UTC.');
    expect(status.stdout).toContain('Retry-After: 600 s');
    expect(JSON.parse((await cli(['maintenance', 'status', '--file', file, '--json'])).stdout)).toEqual({ on: true, file, ...flag, problems: [] });

    // Switching on again updates the notice and keeps when it began.
    const again = await cli(['maintenance', 'on', '--file', file]);
    expect(again.stdout).toContain('ON (notice updated)');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ message: DEFAULT_MAINTENANCE_MESSAGE, retryAfterSeconds: 300, since: flag.since });

    const off = await cli(['maintenance', 'off', '--file', file]);
    expect(off.code).toBe(0);
    expect(off.stdout).toContain(`maintenance mode OFF: removed ${file}`);
    expect(existsSync(file)).toBe(false);
    expect((await cli(['maintenance', 'off', '--file', file])).stdout).toContain('maintenance mode was already off');
    expect(JSON.parse((await cli(['maintenance', 'status', '--file', file, '--json'])).stdout)).toEqual({ on: false, file });
  });

  it('when no --file is given, then FUSION_MAINTENANCE_FILE is used, else maintenance.json in FUSION_DATA_DIR', async () => {
    const configured = join(dir, 'configured.json');
    expect((await cli(['maintenance', 'on'], { FUSION_MAINTENANCE_FILE: configured })).code).toBe(0);
    expect(existsSync(configured)).toBe(true);
    const dataDir = join(dir, 'data');
    expect((await cli(['maintenance', 'on'], { FUSION_DATA_DIR: dataDir })).code).toBe(0);
    expect(existsSync(join(dataDir, 'maintenance.json'))).toBe(true);
    expect((await cli(['maintenance', 'off'], { FUSION_DATA_DIR: dataDir })).stdout).toContain('removed');
  });

  it('when a value is wrong, then it is a usage error and no flag is written', async () => {
    const file = join(dir, 'refused.json');
    const badRetry = await cli(['maintenance', 'on', '--retry-after', 'soon', '--file', file]);
    expect(badRetry.code).toBe(2);
    expect(badRetry.stderr).toContain('--retry-after must be a whole number of seconds from 1 to 86400');
    expect((await cli(['maintenance', 'on', '--message', 'x'.repeat(501), '--file', file])).stderr).toContain('--message must be at most 500 characters');
    expect((await cli(['maintenance', 'off', '--message', 'bye', '--file', file])).code).toBe(2);
    expect((await cli(['maintenance', 'sideways'])).code).toBe(2);
    const relative = await cli(['maintenance', 'status'], { FUSION_MAINTENANCE_FILE: 'flag.json' });
    expect(relative.code).toBe(2);
    expect(relative.stderr).toContain('FUSION_MAINTENANCE_FILE must be an absolute path');
    expect(existsSync(file)).toBe(false);
  });

  it('when the flag file is malformed, then status says maintenance is on and warns what the gateway replaces', async () => {
    const file = join(dir, 'malformed.json');
    writeFileSync(file, 'not json');
    const status = await cli(['maintenance', 'status', '--file', file]);
    expect(status.stdout).toContain('maintenance mode is ON');
    expect(status.stdout).toContain(DEFAULT_MAINTENANCE_MESSAGE);
    expect(status.stderr).toContain('warning: the flag file is not valid');
  });

  it.runIf(process.platform === 'linux')('when the flag cannot be written (a read-only mount, as in a pod), then it fails and points to the ConfigMap', async () => {
    const result = await cli(['maintenance', 'on', '--file', '/sys/maintenance.json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('kubectl apply -f deploy/k8s/maintenance/maintenance-mode.yaml');
  });

  it('when a running gateway watches the flag, then `on` closes the shop within a poll and `off` reopens it', async () => {
    const file = join(dir, 'platform', 'maintenance.json');
    const platform = await startPlatform({ services: [], maintenance: { file, pollMs: 50 } });
    try {
      const status = async () => (await fetch(`${platform.url}/openapi.json`)).status;
      expect(await status()).toBe(200);
      expect((await cli(['maintenance', 'on', '--message', 'Upgrading.', '--retry-after', '120', '--file', file])).code).toBe(0);
      await vi.waitFor(async () => expect(await status()).toBe(503), { timeout: 5000, interval: 25 });
      const closed = await fetch(`${platform.url}/openapi.json`);
      expect(closed.headers.get('retry-after')).toBe('120');
      expect(await closed.json()).toMatchObject({ code: 'PLATFORM.MAINTENANCE', detail: 'Upgrading.' });
      expect((await fetch(`${platform.url}/ready`)).status).toBe(200);
      expect((await cli(['maintenance', 'off', '--file', file])).code).toBe(0);
      await vi.waitFor(async () => expect(await status()).toBe(200), { timeout: 5000, interval: 25 });
    } finally {
      await platform.close();
    }
  });
});
