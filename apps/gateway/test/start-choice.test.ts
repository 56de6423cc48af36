/**
 * `npm start` runs the build when it is up to date and the sources otherwise,
 * so a start is fast after `npm install` and never runs stale code after an edit.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtAtMs, chooseEntry, newestSourceMs } from '../../../scripts/start.mjs';

describe('which code npm start runs', () => {
  let base: string;
  const write = (path: string, text = '', mtimeMs?: number) => {
    mkdirSync(join(base, path, '..'), { recursive: true });
    writeFileSync(join(base, path), text);
    if (mtimeMs !== undefined) utimesSync(join(base, path), mtimeMs / 1000, mtimeMs / 1000);
  };
  const build = (atMs: number) => {
    write('apps/gateway/dist/src/main.js', '// built');
    write('apps/gateway/dist/.built-at', `${atMs}\n`);
  };

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'fusion-start-choice-'));
    const old = Date.now() - 60_000;
    write('package.json', '{}', old);
    write('apps/gateway/package.json', '{}', old);
    write('apps/gateway/src/main.ts', '// main', old);
    write('services/catalog/package.json', '{}', old);
    write('services/catalog/src/service.ts', '// service', old);
    write('services/catalog/migrations/20260101_001_create.ts', '// migration', old);
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('when there is no build, then it runs the sources and says how to start faster', () => {
    expect(builtAtMs(base)).toBeUndefined();
    expect(chooseEntry(base, undefined)).toEqual({ from: 'source', why: expect.stringContaining('npm run build') });
  });

  it('when the build is newer than every source, then it runs the build', () => {
    build(Date.now() - 1_000);
    expect(chooseEntry(base, undefined)).toMatchObject({ from: 'build' });
  });

  it('when a source, a migration or a manifest changed after the build, then it runs the sources', () => {
    // Whole seconds: file systems keep mtimes in ns, and ms fractions do not survive the round trip.
    const builtAt = Math.floor((Date.now() - 30_000) / 1000) * 1000;
    build(builtAt);
    for (const changed of ['services/catalog/src/service.ts', 'services/catalog/migrations/20260101_001_create.ts', 'services/catalog/package.json']) {
      write(changed, '// edited', builtAt + 5_000);
      expect(newestSourceMs(base)).toBe(builtAt + 5_000);
      expect(chooseEntry(base, undefined), changed).toMatchObject({ from: 'source', why: expect.stringContaining('changed since the last build') });
      write(changed, '// as built', builtAt - 5_000);
    }
    // The browser apps have their own build: their sources do not count here.
    write('apps/web/src/main.tsx', '// ui', builtAt + 5_000);
    expect(chooseEntry(base, undefined)).toMatchObject({ from: 'build' });
  });

  it('when FUSION_START says which, then that is what runs (the sources when there is no build to run)', () => {
    expect(chooseEntry(base, 'build')).toMatchObject({ from: 'source', why: expect.stringContaining('no build') });
    build(Date.now());
    expect(chooseEntry(base, 'build')).toMatchObject({ from: 'build' });
    expect(chooseEntry(base, 'source')).toMatchObject({ from: 'source' });
    write('apps/gateway/dist/.built-at', 'not a time');
    expect(chooseEntry(base, undefined)).toMatchObject({ from: 'source' });
  });
});
