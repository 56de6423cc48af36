/**
 * deploy/k8s: every overlay renders with `kubectl kustomize`, every object is
 * valid against the Kubernetes and Argo Rollouts schemas, and every service
 * of the list has what guide 004 asks for: a workload with the three probes
 * and its resources, an HPA with its replica and CPU table, a disruption
 * budget, a network policy behind a default deny, a hardened pod, a
 * migration Job, and progressive delivery whose analysis encodes the
 * rollback criteria.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import * as argo from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as batch from 'kubernetes-models/batch/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as core from 'kubernetes-models/v1';
import { BACKUP, CANARY_STEPS, ENVIRONMENTS } from '../../packages/cli/src/generate/k8s.ts';
import { upstreamUrlVariable } from '@fusioncommerce/platform';
import { DEFAULT_RESOURCES, SHARED_SECRET, activeServices, workloadName, type ServiceSpec } from '../../packages/cli/src/services.ts';
import { CRITERIA } from '../../packages/cli/src/verify/criteria.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const OVERLAYS = ['staging', 'production', 'production-blue-green'];

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  [key: string]: unknown;
}

type Validatable = new (data: never) => { validate(): void };

const MODELS: Record<string, Record<string, unknown>> = {
  'v1': core,
  'apps/v1': apps,
  'autoscaling/v2': autoscaling,
  'batch/v1': batch,
  'networking.k8s.io/v1': networking,
  'policy/v1': policy,
  'argoproj.io/v1alpha1': argo,
};

function render(target: string): K8sObject[] {
  const text = execFileSync('kubectl', ['kustomize', join(root, 'deploy/k8s', target)], { encoding: 'utf8' });
  return parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

function validate(object: K8sObject): void {
  const Model = MODELS[object.apiVersion]?.[object.kind] as Validatable | undefined;
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind} (${object.metadata.name})`);
  new Model(object as never).validate();
}

const find = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

const rendered = new Map(OVERLAYS.map((o) => [o, render(`overlays/${o}`)]));
const base = render('base');

describe('deploy/k8s renders and validates', () => {
  it.each(['base', ...OVERLAYS])('when %s is rendered, then every object is valid against the Kubernetes and Argo Rollouts schemas', (target) => {
    const objects = target === 'base' ? base : (rendered.get(target) as K8sObject[]);
    expect(objects.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const object of objects) {
      try {
        validate(object);
      } catch (error) {
        problems.push(`${object.kind}/${object.metadata.name}: ${(error as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(OVERLAYS)('when %s is rendered, then everything lands in its environment namespace, which enforces the restricted pod security standard', (overlay) => {
    const objects = rendered.get(overlay) as K8sObject[];
    const env = ENVIRONMENTS.find((e) => overlay.startsWith(e.name)) as (typeof ENVIRONMENTS)[number];
    for (const o of objects.filter((x) => x.kind !== 'Namespace')) expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe(env.namespace);
    const ns = find(objects, 'Namespace', env.namespace);
    expect(ns?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('fusioncommerce-config-')) as K8sObject & { data: Record<string, string> };
    expect(config.data).toMatchObject(env.config);
    expect(config.data.MIGRATE_ON_START).toBe('false');
  });
});

describe.each(activeServices().map((s) => [s.name, s] as [string, ServiceSpec]))('%s in every overlay', (_name, service) => {
  const name = workloadName(service);

  it('has a Deployment with the three probes, guide 004 resources and a hardened, non-root, read-only pod', () => {
    for (const objects of [base, ...rendered.values()]) {
      const deployment = find(objects, 'Deployment', name);
      expect(deployment, `Deployment ${name}`).toBeDefined();
      const pod = deployment?.spec?.template.spec;
      const [container] = pod.containers;
      expect(container.ports).toEqual([{ name: 'http', containerPort: service.port, protocol: 'TCP' }]);
      expect(container.livenessProbe.httpGet.path).toBe('/health');
      expect(container.readinessProbe.httpGet.path).toBe('/ready');
      expect(container.startupProbe.httpGet.path).toBe('/startup');
      expect(container.livenessProbe).toMatchObject({ initialDelaySeconds: 15, periodSeconds: 10 });
      expect(container.readinessProbe).toMatchObject({ initialDelaySeconds: 5, periodSeconds: 5 });
      expect(container.resources).toEqual(service.resources ?? DEFAULT_RESOURCES);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      expect(pod.automountServiceAccountToken).toBe(false);
      const secrets = container.envFrom.filter((e: { secretRef?: unknown }) => e.secretRef).map((e: { secretRef: { name: string } }) => e.secretRef.name);
      expect(secrets).toContain(SHARED_SECRET.name);
    }
  });

  it('has a Service, an HPA with guide 004’s replicas and CPU target, and a disruption budget', () => {
    for (const objects of [base, ...rendered.values()]) {
      expect(find(objects, 'Service', name)?.spec?.ports[0].port).toBe(service.port);
      const hpa = find(objects, 'HorizontalPodAutoscaler', `${name}-hpa`);
      expect(hpa?.spec).toMatchObject({ minReplicas: service.scaling.minReplicas, maxReplicas: service.scaling.maxReplicas });
      expect(hpa?.spec?.metrics[0].resource).toEqual({ name: 'cpu', target: { type: 'Utilization', averageUtilization: service.scaling.cpuPercent } });
      const pdb = find(objects, 'PodDisruptionBudget', `${name}-pdb`);
      expect(pdb?.spec?.selector.matchLabels).toEqual({ app: name });
    }
  });

  it('is reachable only as its network policy allows, behind a default deny', () => {
    for (const objects of [base, ...rendered.values()]) {
      const deny = find(objects, 'NetworkPolicy', 'default-deny-all');
      expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      const own = find(objects, 'NetworkPolicy', name);
      expect(own?.spec?.podSelector.matchLabels).toEqual({ app: name });
      expect(own?.spec?.policyTypes).toEqual(['Ingress', 'Egress']);
      for (const rule of own?.spec?.ingress ?? []) expect(rule.ports).toEqual([{ protocol: 'TCP', port: service.port }]);
      const egressPorts = (own?.spec?.egress ?? []).flatMap((r: { ports?: { port: number }[] }) => r.ports ?? []).map((p: { port: number }) => p.port);
      expect(egressPorts.includes(443)).toBe(service.internetEgress === true);
      if (service.kind === 'service') {
        expect(egressPorts).toEqual(expect.arrayContaining([53, 5432, 9092]));
        // The gateway proxies to it: let in from the gateway's pods on its port.
        const fromGateway = (own?.spec?.ingress ?? []).some((rule: { from: { podSelector?: { matchLabels: Record<string, string> } }[] }) =>
          rule.from.some((peer) => peer.podSelector?.matchLabels.app === 'gateway'),
        );
        expect(fromGateway, `${name} lets the gateway in`).toBe(true);
      } else {
        // The gateway holds no data: out to DNS and to each service's port, nothing else.
        const services = activeServices().filter((s) => s.kind === 'service');
        expect([...new Set(egressPorts)].sort()).toEqual([...new Set([53, ...services.map((s) => s.port)])].sort());
        for (const other of services) {
          const rule = (own?.spec?.egress ?? []).find((r: { to?: { podSelector?: { matchLabels: Record<string, string> } }[] }) => r.to?.[0]?.podSelector?.matchLabels.app === workloadName(other));
          expect(rule?.ports, `gateway → ${workloadName(other)}`).toEqual([{ protocol: 'TCP', port: other.port }]);
        }
      }
    }
  });

  it(service.kind === 'gateway' ? 'proxies to every service by its Service name and port, reading no Secret but the shared keyring' : 'is named in the gateway’s upstreams by its Service name and port', () => {
    for (const objects of [base, ...rendered.values()]) {
      const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('gateway-config')) as K8sObject & { data: Record<string, string> };
      const targets = service.kind === 'gateway' ? activeServices().filter((s) => s.kind === 'service') : [service];
      for (const target of targets) {
        const upstream = new URL(config.data[upstreamUrlVariable(target.name)] as string);
        expect(upstream.hostname).toBe(workloadName(target));
        expect(find(objects, 'Service', upstream.hostname)?.spec?.ports[0].port).toBe(Number(upstream.port));
      }
      if (service.kind === 'gateway') {
        const container = find(objects, 'Deployment', name)?.spec?.template.spec.containers[0];
        const secrets = container.envFrom.filter((e: { secretRef?: unknown }) => e.secretRef).map((e: { secretRef: { name: string } }) => e.secretRef.name);
        expect(secrets).toEqual([SHARED_SECRET.name]);
      }
    }
  });

  it(service.kind === 'service' ? 'migrates with a Job in its own image before the rollout (Argo CD PreSync hook)' : 'has no migration Job: it owns no schema', () => {
    for (const objects of rendered.values()) {
      const job = find(objects, 'Job', `${service.name}-migrate`);
      if (service.kind === 'gateway') {
        expect(job).toBeUndefined();
        continue;
      }
      expect(job?.metadata.annotations?.['argocd.argoproj.io/hook']).toBe('PreSync');
      const [container] = job?.spec?.template.spec.containers ?? [];
      expect(container.command).toEqual(['npx', 'knex', 'migrate:latest']);
      const deployment = find(objects, 'Deployment', name);
      expect(container.image).toBe(deployment?.spec?.template.spec.containers[0].image);
      expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    }
  });

  it('rolls out as an Argo Rollouts canary (10/25/50/100) with analysis, or blue-green with a preview', () => {
    for (const overlay of ['staging', 'production']) {
      const objects = rendered.get(overlay) as K8sObject[];
      const rollout = find(objects, 'Rollout', name);
      expect(rollout?.spec?.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
      const steps = rollout?.spec?.strategy.canary.steps as { setWeight?: number }[];
      expect(steps.filter((s) => s.setWeight !== undefined).map((s) => s.setWeight)).toEqual(CANARY_STEPS);
      expect(rollout?.spec?.strategy.canary.analysis.templates).toHaveLength(4);
      // The Rollout runs the pods: the Deployment keeps only the template, the HPA scales the Rollout.
      expect(find(objects, 'Deployment', name)?.spec?.replicas).toBe(0);
      expect(find(objects, 'HorizontalPodAutoscaler', `${name}-hpa`)?.spec?.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name });
    }
    const blueGreen = rendered.get('production-blue-green') as K8sObject[];
    const strategy = find(blueGreen, 'Rollout', name)?.spec?.strategy;
    expect(strategy.canary).toBeUndefined();
    expect(strategy.blueGreen).toMatchObject({ activeService: name, previewService: `${name}-preview`, autoPromotionEnabled: false });
    expect(find(blueGreen, 'Service', `${name}-preview`)).toBeDefined();
  });
});

describe('rollback analysis and backups', () => {
  const production = rendered.get('production') as K8sObject[];
  const template = (name: string) => find(production, 'AnalysisTemplate', name)?.spec?.metrics[0];

  it('encodes guide 004 §10.4: error rate above 1%, p95 above twice the stable baseline, 2+ unhealthy pods, consumer lag above 5000', () => {
    const errorRate = template('fusioncommerce-error-rate');
    expect(errorRate.provider.prometheus.query).toContain('status_code=~"5.."');
    expect(errorRate.successCondition).toContain(`result[0] <= ${CRITERIA.maxErrorRate}`);
    const latency = template('fusioncommerce-latency-p95');
    expect(latency.provider.prometheus.query).toMatch(/histogram_quantile\(0\.95.*canary-hash.*\/.*histogram_quantile\(0\.95.*stable-hash/s);
    expect(latency.successCondition).toContain(`result[0] <= ${CRITERIA.maxP95Ratio}`);
    const health = template('fusioncommerce-pod-health');
    expect(health.provider.prometheus.query).toContain('kube_pod_container_status_ready');
    expect(health.successCondition).toContain(`result[0] < ${CRITERIA.unhealthyPods}`);
    const lag = template('fusioncommerce-consumer-lag');
    expect(lag.provider.prometheus.query).toContain('events_consumer_lag');
    expect(lag.successCondition).toContain(`result[0] <= ${CRITERIA.maxConsumerLag}`);
  });

  it('backs the databases up every 6 hours and keeps 30 days (guide 003)', () => {
    const cron = find(production, 'CronJob', BACKUP.name);
    expect(cron?.spec?.schedule).toBe('0 */6 * * *');
    const [container] = cron?.spec?.jobTemplate.spec.template.spec.containers ?? [];
    expect(container.env).toContainEqual({ name: 'RETENTION_DAYS', value: '30' });
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(find(production, 'PersistentVolumeClaim', BACKUP.claim)).toBeDefined();
  });

  it('ships a template, without values, for every Secret a workload reads', () => {
    const referenced = new Set<string>();
    for (const o of production) {
      const spec = o.kind === 'CronJob' ? o.spec?.jobTemplate.spec.template.spec : o.spec?.template?.spec;
      for (const c of spec?.containers ?? []) for (const e of c.envFrom ?? []) if (e.secretRef) referenced.add(e.secretRef.name);
    }
    expect(production.filter((o) => o.kind === 'Secret')).toEqual([]);
    for (const name of referenced) {
      const path = join(root, 'deploy/k8s/secrets', `${name}.example.yaml`);
      expect(existsSync(path), path).toBe(true);
      const [doc] = parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJS() as { kind: string; stringData: Record<string, string> });
      expect(doc?.kind).toBe('Secret');
      for (const value of Object.values(doc?.stringData ?? {})) expect(value).toBe('');
    }
  });
});
