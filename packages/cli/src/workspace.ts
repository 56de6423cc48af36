/**
 * Where the CLI runs: a checkout (TypeScript sources through tsx) or a built
 * tree (an image: `dist/` next to each package.json, production dependencies
 * only). Service modules are loaded from whichever is there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ServiceMigrations } from '@fusioncommerce/platform';
import { SERVICES, schemaOf, type ServiceSpec } from './services.ts';

/** True when this file runs from its TypeScript source (a checkout), false from dist/. */
export const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');

/** The repository (or image) root: the nearest directory above with a package.json that declares workspaces. */
export function findRoot(start: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(start);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown }).workspaces) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no workspace root (package.json with "workspaces") above ${start}`);
    dir = parent;
  }
}

/** A module of a service, e.g. `src/migrations`: the .ts source in a checkout, `dist/<module>.js` when built. */
export function serviceModulePath(root: string, service: ServiceSpec, module: string, fromSource = RUNNING_FROM_SOURCE): string {
  const base = join(root, service.dir);
  return fromSource ? join(base, `${module}.ts`) : join(base, 'dist', `${module}.js`);
}

/** Services of the list whose code is present here (all in a checkout; one in a service image). */
export function presentServices(root: string, list: ServiceSpec[] = SERVICES, fromSource = RUNNING_FROM_SOURCE): ServiceSpec[] {
  return list.filter((s) => schemaOf(s) !== undefined && existsSync(serviceModulePath(root, s, 'src/migrations', fromSource)));
}

function isServiceMigrations(value: unknown): value is ServiceMigrations {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ServiceMigrations).schema === 'string' &&
    typeof (value as ServiceMigrations).directory === 'string'
  );
}

/** The service's migration definition: the `{ schema, directory }` its `src/migrations` module exports. */
export async function loadMigrations(root: string, service: ServiceSpec, fromSource = RUNNING_FROM_SOURCE): Promise<ServiceMigrations> {
  const path = serviceModulePath(root, service, 'src/migrations', fromSource);
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const found = Object.values(module).find(isServiceMigrations);
  if (!found) throw new Error(`${path} exports no { schema, directory } migration definition`);
  return found;
}

/** A named export of a service module (seeders). */
export async function loadServiceExport<T>(root: string, service: ServiceSpec, module: string, name: string, fromSource = RUNNING_FROM_SOURCE): Promise<T> {
  const path = serviceModulePath(root, service, module, fromSource);
  const loaded = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  if (!(name in loaded)) throw new Error(`${path} does not export ${name}`);
  return loaded[name] as T;
}
