#!/usr/bin/env node
// `npm start`: the embedded platform. It runs the built JavaScript
// (apps/gateway/dist, made by `npm install` or `npm run build`) when that build
// is newer than every TypeScript source — it starts about a second sooner —
// and the sources through tsx otherwise, so an edit is never run stale.
// FUSION_START=build|source forces one or the other.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BUILD_STAMP = join(root, 'apps/gateway/dist/.built-at');
const BUILT_ENTRY = join(root, 'apps/gateway/dist/src/main.js');
const SOURCE_ENTRY = join(root, 'apps/gateway/src/main.ts');

/** Newest modification time (ms) of anything a build is made from: sources, migrations, manifests, tsconfig. */
export function newestSourceMs(base = root) {
  let newest = 0;
  const visit = (path) => {
    let entries;
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const file of ['package.json', 'tsconfig.json', 'tsconfig.build.json']) {
    if (existsSync(join(base, file))) newest = Math.max(newest, statSync(join(base, file)).mtimeMs);
  }
  for (const parent of ['packages', 'services', 'apps']) {
    const dir = join(base, parent);
    if (!existsSync(dir)) continue;
    for (const ws of readdirSync(dir, { withFileTypes: true })) {
      if (!ws.isDirectory() || ws.name === 'web') continue;
      const wsDir = join(dir, ws.name);
      if (existsSync(join(wsDir, 'package.json'))) newest = Math.max(newest, statSync(join(wsDir, 'package.json')).mtimeMs);
      for (const sub of ['src', 'migrations']) visit(join(wsDir, sub));
      if (existsSync(join(wsDir, 'knexfile.ts'))) newest = Math.max(newest, statSync(join(wsDir, 'knexfile.ts')).mtimeMs);
    }
  }
  return newest;
}

/** When the build in `base` started (ms), or undefined when there is no complete build. */
export function builtAtMs(base = root) {
  const stamp = join(base, 'apps/gateway/dist/.built-at');
  if (!existsSync(stamp) || !existsSync(join(base, 'apps/gateway/dist/src/main.js'))) return undefined;
  const value = Number(readFileSync(stamp, 'utf8').trim());
  return Number.isFinite(value) ? value : undefined;
}

/** `build` when a complete build is at least as new as every source, else `source` (with why). */
export function chooseEntry(base = root, forced = process.env.FUSION_START) {
  if (forced === 'source') return { from: 'source', why: 'FUSION_START=source' };
  const builtAt = builtAtMs(base);
  if (forced === 'build') return builtAt === undefined ? { from: 'source', why: 'FUSION_START=build, but there is no build (run `npm run build`)' } : { from: 'build', why: 'FUSION_START=build' };
  if (builtAt === undefined) return { from: 'source', why: 'no build yet (`npm run build` makes starts faster)' };
  if (newestSourceMs(base) > builtAt) return { from: 'source', why: 'sources changed since the last build (`npm run build` makes starts faster)' };
  return { from: 'build', why: 'the build is up to date' };
}

/** NODE_OPTIONS without the source-mode flags npm adds from .npmrc: a built run resolves packages to their dist/. */
function withoutSourceFlags(options = '') {
  return options
    .replace(/--conditions[= ]fusion-source/g, '')
    .replace(/--import[= ]tsx/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const choice = chooseEntry();
  const args = choice.from === 'build' ? [BUILT_ENTRY] : ['--conditions=fusion-source', '--import=tsx', SOURCE_ENTRY];
  if (process.env.LOG_LEVEL !== 'silent') process.stderr.write(`Starting from the ${choice.from === 'build' ? 'build' : 'TypeScript sources'}: ${choice.why}\n`);
  const child = spawn(process.execPath, [...args, ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: withoutSourceFlags(process.env.NODE_OPTIONS) },
  });
  // The platform handles SIGTERM and SIGINT (a graceful drain); this process only passes them on and reports its exit.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + ({ SIGTERM: 15, SIGINT: 2, SIGHUP: 1, SIGKILL: 9 }[signal] ?? 1) : 1)));
}
