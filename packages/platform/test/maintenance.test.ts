/** Maintenance mode in the kernel: the flag file's format and settings, and an app created with it. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_MAINTENANCE_MESSAGE,
  DEFAULT_RETRY_AFTER_SECONDS,
  createApp,
  defaultDataDir,
  describeWait,
  loadMaintenanceConfig,
  maintenancePage,
  parseMaintenanceFlag,
  prefersHtml,
  readMaintenanceFlag,
  reloadAfterSeconds,
  removeMaintenanceFlag,
  writeMaintenanceFlag,
} from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'fusion-maintenance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the maintenance flag file', () => {
  it('when the file is empty, then maintenance is on with the default message and Retry-After, and nothing is wrong', () => {
    expect(parseMaintenanceFlag('')).toEqual({ notice: { message: DEFAULT_MAINTENANCE_MESSAGE, retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS }, problems: [] });
    expect(parseMaintenanceFlag(' \n').problems).toEqual([]);
  });

  it('when the file holds a message, a retry hint and a start time, then those are used', () => {
    const parsed = parseMaintenanceFlag('{"message": "  Back at 14:00 UTC.  ", "retryAfterSeconds": 1800, "since": "2026-12-06T13:00:00.000Z"}');
    expect(parsed).toEqual({ notice: { message: 'Back at 14:00 UTC.', retryAfterSeconds: 1800, since: '2026-12-06T13:00:00.000Z' }, problems: [] });
  });

  it('when the file is not JSON, not an object or has bad fields, then each bad part falls back to its default and is named', () => {
    const garbled = parseMaintenanceFlag('{"message": "Back soon"');
    expect(garbled.notice).toEqual({ message: DEFAULT_MAINTENANCE_MESSAGE, retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS });
    expect(garbled.problems[0]).toMatch(/^it is not valid JSON/);
    expect(parseMaintenanceFlag('[1, 2]').problems).toEqual(['it is not a JSON object']);
    const bad = parseMaintenanceFlag(JSON.stringify({ message: 'Kept', retryAfterSeconds: -5, since: 'yesterday', retryAfter: 60 }));
    expect(bad.notice).toEqual({ message: 'Kept', retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS });
    expect(bad.problems).toEqual([
      expect.stringContaining('retryAfterSeconds must be a whole number'),
      'since must be an ISO 8601 time',
      expect.stringContaining('unknown field "retryAfter"'),
    ]);
    expect(parseMaintenanceFlag(JSON.stringify({ message: 'x'.repeat(501) })).problems).toEqual(['message must be at most 500 characters']);
    expect(parseMaintenanceFlag(JSON.stringify({ message: 42, retryAfterSeconds: 1.5 })).problems).toHaveLength(2);
  });

  it('when the flag is written, read and removed, then it reads on and then off; removing twice says there was none', async () => {
    const file = join(dir, 'nested', 'maintenance.json');
    expect(await readMaintenanceFlag(file)).toEqual({ on: false });
    await writeMaintenanceFlag(file, { message: 'Upgrading.', retryAfterSeconds: 120 });
    expect(await readMaintenanceFlag(file)).toEqual({ on: true, notice: { message: 'Upgrading.', retryAfterSeconds: 120 }, problems: [] });
    expect(await removeMaintenanceFlag(file)).toBe(true);
    expect(await removeMaintenanceFlag(file)).toBe(false);
    expect(await readMaintenanceFlag(file)).toEqual({ on: false });
  });

  it('when the flag path cannot be read as a file, then maintenance is on with the defaults (fail safe)', async () => {
    const state = await readMaintenanceFlag(dir);
    expect(state).toMatchObject({ on: true, notice: { message: DEFAULT_MAINTENANCE_MESSAGE }, problems: [expect.stringContaining('it cannot be read')] });
  });
});

describe('maintenance settings', () => {
  it('when nothing is set, then the flag is maintenance.json in the data directory, looked at every second', () => {
    expect(loadMaintenanceConfig({})).toEqual({ file: join(defaultDataDir, 'maintenance.json'), pollMs: 1000 });
    expect(loadMaintenanceConfig({ FUSION_DATA_DIR: '/srv/shop' }).file).toBe('/srv/shop/maintenance.json');
    expect(loadMaintenanceConfig({ FUSION_MAINTENANCE_FILE: '/etc/shop/flag.json', FUSION_MAINTENANCE_POLL_MS: '250' })).toEqual({ file: '/etc/shop/flag.json', pollMs: 250 });
  });

  it('when a value is wrong, then a ConfigError names the variable', () => {
    expect(() => loadMaintenanceConfig({ FUSION_MAINTENANCE_FILE: 'relative/flag.json' })).toThrow(ConfigError);
    expect(() => loadMaintenanceConfig({ FUSION_MAINTENANCE_FILE: 'relative/flag.json' })).toThrow(/FUSION_MAINTENANCE_FILE must be an absolute path/);
    expect(() => loadMaintenanceConfig({ FUSION_MAINTENANCE_POLL_MS: '5' })).toThrow(/FUSION_MAINTENANCE_POLL_MS/);
  });
});

describe('the maintenance answer', () => {
  it('when a browser navigates, then it gets the page; API clients, curl and clients without Accept get JSON', () => {
    expect(prefersHtml('text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8')).toBe(true);
    expect(prefersHtml('application/json')).toBe(false);
    expect(prefersHtml('application/json, text/html;q=0.5')).toBe(false);
    expect(prefersHtml('text/html;q=0')).toBe(false);
    expect(prefersHtml('*/*')).toBe(false);
    expect(prefersHtml(undefined)).toBe(false);
  });

  it('when the wait is given in seconds, then the page says it as a person would and reloads within bounds', () => {
    expect(describeWait(60)).toBe('a minute');
    expect(describeWait(600)).toBe('10 minutes');
    expect(describeWait(3600)).toBe('an hour');
    expect(describeWait(7200)).toBe('2 hours');
    expect([5, 120, 7200].map(reloadAfterSeconds)).toEqual([30, 120, 600]);
  });

  it('when the message holds markup, then the page shows it as text', () => {
    const page = maintenancePage({ message: 'Back <b>soon</b> & "fast"', retryAfterSeconds: 120 });
    expect(page).toContain('Back &lt;b&gt;soon&lt;/b&gt; &amp; &quot;fast&quot;');
    expect(page).toContain('<meta http-equiv="refresh" content="120">');
  });

  it('when an app starts while the flag exists, then its very first business request gets the 503, and probes still answer', async () => {
    const file = join(dir, 'at-start.json');
    writeFileSync(file, '{"message": "Closed for stocktaking.", "retryAfterSeconds": 60}');
    const app = await createApp({ service: 'probe', logger: false, maintenance: { file, pollMs: 60_000 } });
    app.get('/v1/things', { config: { auth: 'public' } }, async () => ({ data: [] }));
    await app.ready();
    app.readiness.markStarted();
    try {
      const res = await app.inject('/v1/things');
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('60');
      expect(res.json()).toMatchObject({ code: 'PLATFORM.MAINTENANCE', detail: 'Closed for stocktaking.', retryAfterSeconds: 60 });
      expect((await app.inject('/ready')).statusCode).toBe(200);
      expect(app.maintenance?.notice?.message).toBe('Closed for stocktaking.');
      rmSync(file);
      await app.maintenance?.refresh();
      expect((await app.inject('/v1/things')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('when an app is created without maintenance options, then it has no maintenance mode', async () => {
    const app = await createApp({ service: 'probe', logger: false });
    await app.ready();
    expect(app.maintenance).toBeUndefined();
    expect((await app.inject('/metrics')).body).not.toContain('fusion_maintenance_mode');
    await app.close();
  });
});
