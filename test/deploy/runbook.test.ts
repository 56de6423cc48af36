/**
 * docs/deployment.md stays true: every command in its shell blocks is run by
 * CI or by a test. fusion commands must name real subcommands and options;
 * the secret commands are run (client-side dry run) and must create exactly
 * the keys the workloads read; kustomize renders are run here; manifests
 * applied or deleted with `-f` must be files of this repository holding valid
 * objects, and the maintenance ConfigMap created by hand must match the one
 * the gateway mounts; everything
 * else must appear, as written or templated, in the workflow or test that
 * runs it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import * as core from 'kubernetes-models/v1';
import { parseMaintenanceFlag } from '@fusioncommerce/platform';
import { MAINTENANCE } from '../../packages/cli/src/generate/k8s.ts';
import { buildProgram } from '../../packages/cli/src/program.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const runbook = readFileSync(join(root, 'docs/deployment.md'), 'utf8');

/** Shell commands of the ```bash blocks, one per line, `a && b` split, a trailing `&` dropped. */
function commands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  return blocks
    .flatMap((b) => b.split('\n'))
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .flatMap((l) => l.split(/\s+&&\s+/))
    .map((l) => l.replace(/\s+&$/, '').trim());
}

/** Where a command that needs Docker, a cluster or the whole CI machine is run, and how it reads there. */
const RUN_ELSEWHERE: { command: RegExp; file: string; needle: string }[] = [
  { command: /^npm ci$/, file: '.ci/run', needle: 'npm ci' },
  { command: /^npm start$/, file: 'apps/gateway/test/start.test.ts', needle: "'scripts/start.mjs'" },
  { command: /^\.ci\/run$/, file: '.ci/run', needle: 'set -euo pipefail' },
  { command: /^cp \.env\.example \.env$/, file: '.github/workflows/ci.yml', needle: 'cp .env.example .env' },
  { command: /^docker compose up -d --wait$/, file: '.github/workflows/ci.yml', needle: 'docker compose up -d --wait' },
  { command: /^docker compose ps$/, file: '.github/workflows/ci.yml', needle: 'docker compose ps' },
  { command: /^docker compose --profile services build$/, file: '.github/workflows/ci.yml', needle: 'docker compose --profile services build' },
  { command: /^docker compose --profile services up -d --wait$/, file: '.github/workflows/ci.yml', needle: 'docker compose --profile services up -d --wait' },
  { command: /^docker compose --profile services down$/, file: '.github/workflows/ci.yml', needle: 'docker compose --profile services down\n' },
  { command: /^docker compose --profile services down -v$/, file: '.github/workflows/ci.yml', needle: 'docker compose --profile services down -v' },
  {
    command: /^docker build -t fusioncommerce\/[a-z-]+:latest -f (services|apps)\/[a-z-]+\/Dockerfile \.$/,
    file: '.github/workflows/ci.yml',
    needle: 'docker build -t fusioncommerce/${{ matrix.service.name }}:latest -f ${{ matrix.service.dir }}/Dockerfile .',
  },
  { command: /^npx knex migrate:(latest|status)$/, file: 'test/deploy/images.test.ts', needle: "['knex', 'migrate:latest']" },
  { command: /^curl -fsS http:\/\/localhost:3000\/metrics -o before-deploy\.prom$/, file: '.github/workflows/ci.yml', needle: 'curl -fsS http://localhost:3000/metrics -o before-deploy.prom' },
  { command: /^cd deploy\/k8s\/overlays\/[a-z-]+$/, file: '.github/actions/rollout/action.yml', needle: 'working-directory: deploy/k8s/overlays/${{ inputs.overlay }}' },
  { command: /^kustomize edit set image fusioncommerce\/[a-z-]+=\S+\/fusioncommerce\/[a-z-]+:\S+$/, file: '.github/actions/rollout/action.yml', needle: 'kustomize edit set image "fusioncommerce/$svc=${{ inputs.registry }}/fusioncommerce/$svc:${{ inputs.tag }}"' },
  { command: /^kubectl -n \S+ create job --from=cronjob\/fusioncommerce-db-backup \S+$/, file: '.github/actions/rollout/action.yml', needle: 'create job --from=cronjob/fusioncommerce-db-backup' },
  { command: /^kubectl -n \S+ wait --for=condition=complete --timeout=30m job\/\S+$/, file: '.github/actions/rollout/action.yml', needle: 'wait --for=condition=complete --timeout=30m "job/pre-deploy-' },
  { command: /^kubectl apply -k deploy\/k8s\/overlays\/[a-z-]+ --selector 'app\.kubernetes\.io\/component notin \(api,gateway,migration\)'$/, file: '.github/actions/rollout/action.yml', needle: "--selector 'app.kubernetes.io/component notin (api,gateway,migration)'" },
  { command: /^kubectl -n \S+ delete job --selector app\.kubernetes\.io\/component=migration --ignore-not-found$/, file: '.github/actions/rollout/action.yml', needle: 'delete job --selector app.kubernetes.io/component=migration --ignore-not-found' },
  { command: /^kubectl apply -k deploy\/k8s\/overlays\/[a-z-]+ --selector app\.kubernetes\.io\/component=migration$/, file: '.github/actions/rollout/action.yml', needle: '--selector app.kubernetes.io/component=migration\n' },
  { command: /^kubectl -n \S+ wait --for=condition=complete --timeout=10m job --selector app\.kubernetes\.io\/component=migration$/, file: '.github/actions/rollout/action.yml', needle: 'wait --for=condition=complete --timeout=10m job --selector app.kubernetes.io/component=migration' },
  { command: /^kubectl apply -k deploy\/k8s\/overlays\/[a-z-]+$/, file: '.github/actions/rollout/action.yml', needle: 'run: kubectl apply -k deploy/k8s/overlays/${{ inputs.overlay }}\n' },
  { command: /^kubectl argo rollouts status [a-z-]+ -n \S+ --timeout 45m$/, file: '.github/actions/rollout/action.yml', needle: 'kubectl argo rollouts status "$workload" -n "$ns" --timeout 45m' },
  { command: /^kubectl get pods -n \S+$/, file: '.github/actions/rollout/action.yml', needle: 'kubectl get pods -n "$ns"' },
  { command: /^kubectl port-forward svc\/gateway-preview 18000:8000 -n \S+$/, file: '.github/workflows/deploy.yml', needle: 'kubectl port-forward svc/gateway-preview 18000:8000 -n fusioncommerce-production &' },
  { command: /^kubectl argo rollouts promote [a-z-]+ -n \S+$/, file: '.github/workflows/deploy.yml', needle: 'kubectl argo rollouts promote "$workload" -n fusioncommerce-production' },
  { command: /^kubectl argo rollouts abort [a-z-]+ -n \S+$/, file: '.github/workflows/deploy.yml', needle: 'kubectl argo rollouts abort "$workload" -n fusioncommerce-production' },
  { command: /^kubectl argo rollouts undo [a-z-]+ -n \S+$/, file: '.github/workflows/deploy.yml', needle: 'kubectl argo rollouts undo "$workload" -n fusioncommerce-production' },
  { command: /^kubectl logs -n \S+ -l app=[a-z-]+ --tail=50$/, file: '.github/workflows/deploy.yml', needle: 'kubectl logs -n fusioncommerce-production -l app="$workload" --tail=50' },
];

/** fusion subcommands and where each is run (tests, besides CI). */
const FUSION_TESTS: Record<string, string> = {
  migrate: 'packages/cli/test/database.test.ts',
  seed: 'packages/cli/test/database.test.ts',
  backup: 'packages/cli/test/database.test.ts',
  restore: 'packages/cli/test/database.test.ts',
  smoke: 'packages/cli/test/smoke.test.ts',
  demo: 'packages/cli/test/demo.test.ts',
  verify: 'packages/cli/test/verify.test.ts',
  generate: 'packages/cli/test/program.test.ts',
  services: 'packages/cli/test/program.test.ts',
  maintenance: 'packages/cli/test/maintenance.test.ts',
};

/** `kubectl apply -f <file> -n <ns>` and `kubectl delete -f …`: checked here, as a cluster would read the file. */
const appliesFile = (command: string) => /^kubectl (apply|delete) -f /.test(command);
const createsConfigMap = (command: string) => command.startsWith('kubectl create configmap ');

const program = buildProgram({ stdout: new Writable({ write: (_c, _e, cb) => cb() }), stderr: new Writable({ write: (_c, _e, cb) => cb() }), env: {} });
const all = commands(runbook);

describe('docs/deployment.md', () => {
  it('has commands to check', () => {
    expect(all.length).toBeGreaterThan(40);
  });

  it.each(all.filter((c) => c.startsWith('npx fusion ')))('`%s` names a real fusion subcommand and real options, run by a test', (command) => {
    const [, , sub, ...rest] = command.split(/\s+/);
    const found = program.commands.find((c) => c.name() === sub);
    expect(found, `no fusion ${sub}`).toBeDefined();
    const known = new Set(found?.options.map((o) => o.long));
    for (const flag of rest.filter((t) => t.startsWith('--'))) expect(known.has(flag.split('=')[0]), `fusion ${sub} has no ${flag}`).toBe(true);
    const test = FUSION_TESTS[sub as string] as string;
    expect(readFileSync(join(root, test), 'utf8')).toContain(`'${sub}'`);
  });

  it.each(all.filter((c) => c.startsWith('kubectl create secret generic ')))('`%s` creates exactly the keys its template lists', (command) => {
    const rendered = execFileSync('sh', ['-c', `${command} --dry-run=client -o yaml`], { encoding: 'utf8' });
    const secret = parse(rendered) as { metadata: { name: string; namespace: string }; data: Record<string, string> };
    const template = join(root, 'deploy/k8s/secrets', `${secret.metadata.name}.example.yaml`);
    expect(existsSync(template), template).toBe(true);
    const keys = Object.keys((parse(readFileSync(template, 'utf8')) as { stringData: Record<string, string> }).stringData).sort();
    expect(Object.keys(secret.data).sort()).toEqual(keys);
    expect(secret.metadata.namespace).toMatch(/^fusioncommerce-(staging|production)$/);
  });

  it.each(all.filter((c) => c.startsWith('kubectl kustomize ')))('`%s` renders', (command) => {
    const out = execFileSync('sh', ['-c', command], { cwd: root, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
    expect(out).toContain('kind: Rollout');
  });

  it.each(all.filter(appliesFile))('`%s` names a manifest of this repository with valid objects and no namespace of their own', (command) => {
    const [, , , file, ...rest] = command.split(/\s+/);
    expect(rest.join(' ')).toMatch(/^-n fusioncommerce-(staging|production)$/);
    const path = join(root, file as string);
    expect(existsSync(path), path).toBe(true);
    const objects = parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJS() as { kind: string; metadata: { namespace?: string } });
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) {
      const Model = (core as unknown as Record<string, new (data: never) => { validate(): void }>)[object.kind];
      expect(Model, `no core/v1 schema for ${object.kind}`).toBeDefined();
      new (Model as new (data: never) => { validate(): void })(object as never).validate();
      expect(object.metadata.namespace).toBeUndefined();
    }
  });

  it.each(all.filter(createsConfigMap))('`%s` creates the maintenance ConfigMap the gateway mounts, with a valid flag', (command) => {
    const rendered = parse(execFileSync('sh', ['-c', `${command} --dry-run=client -o yaml`], { encoding: 'utf8' })) as { metadata: { name: string; namespace: string }; data: Record<string, string> };
    expect(rendered.metadata.name).toBe(MAINTENANCE.configMap);
    expect(rendered.metadata.namespace).toMatch(/^fusioncommerce-(staging|production)$/);
    expect(Object.keys(rendered.data)).toEqual([MAINTENANCE.key]);
    expect(parseMaintenanceFlag(rendered.data[MAINTENANCE.key] as string).problems).toEqual([]);
  });

  it.each(
    all.filter((c) => !c.startsWith('npx fusion ') && !c.startsWith('kubectl create secret generic ') && !c.startsWith('kubectl kustomize ') && !appliesFile(c) && !createsConfigMap(c)),
  )(
    '`%s` is run by CI or a test, as written there',
    (command) => {
      const rule = RUN_ELSEWHERE.find((r) => r.command.test(command));
      expect(rule, `nothing runs \`${command}\`: run it in CI or a test, or take it out of the runbook`).toBeDefined();
      expect(readFileSync(join(root, rule?.file as string), 'utf8')).toContain(rule?.needle);
    },
  );
});
