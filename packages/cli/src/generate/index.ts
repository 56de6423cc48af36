/**
 * `fusion generate`: writes every deployment file derived from the service
 * list; `--check` compares instead and lists what is stale (CI and the deploy
 * tests run it, so the files never drift from the list).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { activeServices } from '../services.ts';
import { POSTGRES_INIT_SQL, composeModel, envExample } from './compose.ts';
import { dockerfileFor, dockerignore } from './dockerfile.ts';
import { k8sManifests } from './k8s.ts';
import { GENERATED_NOTICE } from './notice.ts';

const header = (lines: string[] = GENERATED_NOTICE) => lines.map((l) => `# ${l}`).join('\n');

function yamlDocuments(objects: object[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

/** Every generated file: repository-relative path → content. */
export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const service of activeServices()) files.set(`${service.dir}/Dockerfile`, dockerfileFor(service));
  files.set('.dockerignore', dockerignore());
  files.set('docker-compose.yml', `${header()}\n${stringify(composeModel(), { lineWidth: 0, aliasDuplicateObjects: false })}`);
  files.set('.env.example', envExample());
  files.set('deploy/compose/postgres-init.sql', POSTGRES_INIT_SQL);

  const { files: manifests, secretTemplates } = k8sManifests();
  for (const manifest of manifests) {
    if ('text' in manifest) files.set(manifest.path, manifest.text);
    else files.set(manifest.path, `${header(manifest.header ? [...manifest.header, ...GENERATED_NOTICE] : GENERATED_NOTICE)}\n${yamlDocuments(manifest.objects)}`);
  }
  for (const template of secretTemplates) {
    files.set(template.path, `${header([...template.header, ...GENERATED_NOTICE])}\n${yamlDocuments([template.secret])}`);
  }
  return files;
}

export interface GenerateResult {
  written: string[];
  unchanged: string[];
  stale: string[];
}

export function generate(root: string, options: { check?: boolean } = {}): GenerateResult {
  const result: GenerateResult = { written: [], unchanged: [], stale: [] };
  for (const [path, content] of generatedFiles()) {
    const target = join(root, path);
    const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    if (current === content) {
      result.unchanged.push(path);
      continue;
    }
    if (options.check) {
      result.stale.push(path);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    result.written.push(path);
  }
  return result;
}
