#!/usr/bin/env node
// Runs after `npm install` / `npm ci`: builds what `npm start` serves and runs —
// the storefront and admin console (Vite, apps/web/dist) and the platform's
// JavaScript (every workspace's dist/, types left to `npm run typecheck`).
// Skipped quietly where the sources are absent (a Docker layer of manifests only).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;

if (existsSync(join(root, 'apps/web/vite.config.ts'))) {
  const status = run('npm', ['run', 'build', '-w', '@fusioncommerce/web']);
  if (status !== 0) process.exit(status);
}
if (existsSync(join(root, 'apps/gateway/src/main.ts'))) {
  process.stderr.write('Building the platform for faster starts (npm start runs the sources whenever they are newer)…\n');
  const status = run(process.execPath, [join(root, 'scripts/build.mjs'), '--noCheck']);
  if (status !== 0) process.exit(status);
}
