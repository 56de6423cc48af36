#!/usr/bin/env node
// `npm run build`: one tsc run over every workspace (tsconfig.build.json, into
// ./dist mirroring the repo), then each workspace's output moves to its own
// dist/ — packages/platform/dist/src/index.js, services/catalog/dist/{src,migrations,knexfile.js} —
// because package.json "exports" (default condition) and "start" can only point
// inside their package. Extra arguments go to tsc (e.g. --noCheck).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const staging = join(root, 'dist');
const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** `packages/*` → every directory under packages/ that has a package.json. */
function workspaceDirs() {
  return workspaces.flatMap((pattern) => {
    const parent = pattern.replace(/\/\*$/, '');
    const abs = join(root, parent);
    if (!existsSync(abs)) return [];
    return readdirSync(abs, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(abs, d.name, 'package.json')))
      .map((d) => `${parent}/${d.name}`);
  });
}

// apps/web is the browser apps' workspace: Vite builds it (`npm run build -w @fusioncommerce/web`, run by `prepare`) and owns its dist/.
const dirs = workspaceDirs().filter((dir) => dir !== 'apps/web');
// Sources saved after this moment are newer than the build: `npm start` (scripts/start.mjs) then runs them instead.
const startedAt = Date.now();
rmSync(staging, { recursive: true, force: true });
for (const dir of dirs) rmSync(join(root, dir, 'dist'), { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const run = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
if (run.status !== 0) {
  rmSync(staging, { recursive: true, force: true });
  process.exit(run.status ?? 1);
}

for (const dir of dirs) {
  const built = join(staging, dir);
  if (existsSync(built)) renameSync(built, join(root, dir, 'dist'));
}
rmSync(staging, { recursive: true, force: true });
if (existsSync(join(root, 'apps/gateway/dist'))) writeFileSync(join(root, 'apps/gateway/dist/.built-at'), `${startedAt}\n`);
