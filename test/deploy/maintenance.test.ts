/**
 * Maintenance mode in Kubernetes: the gateway's pods mount the optional
 * ConfigMap that deploy/k8s/maintenance/maintenance-mode.yaml declares, at
 * the path they watch, and no overlay carries it — so `kubectl apply -f` /
 * `kubectl delete -f` of that file, and nothing else, switches it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ConfigMap } from 'kubernetes-models/v1';
import { parseMaintenanceFlag } from '@fusioncommerce/platform';
import { MAINTENANCE } from '../../packages/cli/src/generate/k8s.ts';
import { findService, workloadName } from '../../packages/cli/src/services.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const gatewayWorkload = workloadName(findService('gateway'));

interface K8sObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
  spec?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const documents = (text: string) =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);

const render = (target: string) => documents(execFileSync('kubectl', ['kustomize', join(root, 'deploy/k8s', target)], { encoding: 'utf8' }));

describe('maintenance mode in Kubernetes', () => {
  const staging = render('overlays/staging');
  const declared = documents(readFileSync(join(root, MAINTENANCE.manifest), 'utf8'));

  it('when the staging overlay is rendered with kubectl kustomize, then its gateway mounts the optional maintenance ConfigMap where it looks for the flag', () => {
    expect(staging.some((o) => o.kind === 'Rollout')).toBe(true);
    const deployment = staging.find((o) => o.kind === 'Deployment' && o.metadata.name === gatewayWorkload);
    const pod = deployment?.spec?.template.spec;
    const [container] = pod.containers;
    const flag = (container.env as { name: string; value: string }[]).find((e) => e.name === 'FUSION_MAINTENANCE_FILE')?.value as string;
    expect(flag).toBe(`${MAINTENANCE.mountPath}/${MAINTENANCE.key}`);
    const volume = (pod.volumes as { name: string; configMap?: { name: string; optional?: boolean } }[]).find((v) => v.configMap?.name === MAINTENANCE.configMap);
    // Optional: pods start without it, and deleting it empties the mount (off) instead of breaking the pod.
    expect(volume?.configMap).toEqual({ name: MAINTENANCE.configMap, optional: true });
    const mount = (container.volumeMounts as { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[]).find((m) => m.name === volume?.name);
    // A directory mount, never a subPath: only then does the kubelet bring later changes to the running pod.
    expect(mount).toEqual({ name: volume?.name, mountPath: dirname(flag), readOnly: true });
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
  });

  it('when any other workload is rendered, then it neither mounts the ConfigMap nor is told of a flag', () => {
    for (const deployment of staging.filter((o) => o.kind === 'Deployment' && o.metadata.name !== gatewayWorkload)) {
      const pod = deployment.spec?.template.spec;
      expect(JSON.stringify(pod), deployment.metadata.name).not.toContain(MAINTENANCE.configMap);
    }
  });

  it('when the maintenance manifest is read, then it is exactly that ConfigMap, valid, without a namespace (kubectl -n chooses), holding a valid flag', () => {
    expect(declared).toHaveLength(1);
    const [configMap] = declared as [K8sObject];
    new ConfigMap(configMap as never).validate();
    expect(configMap.kind).toBe('ConfigMap');
    expect(configMap.metadata.name).toBe(MAINTENANCE.configMap);
    expect(configMap.metadata.namespace).toBeUndefined();
    expect(Object.keys(configMap.data ?? {})).toEqual([basename(`${MAINTENANCE.mountPath}/${MAINTENANCE.key}`)]);
    const flag = parseMaintenanceFlag(configMap.data?.[MAINTENANCE.key] ?? '');
    expect(flag.problems).toEqual([]);
    expect(flag.notice.retryAfterSeconds).toBe(MAINTENANCE.retryAfterSeconds);
  });

  it('when an overlay is applied, then maintenance mode is not switched: no overlay carries the ConfigMap', () => {
    for (const target of ['overlays/staging', 'overlays/production', 'overlays/production-blue-green']) {
      const objects = target === 'overlays/staging' ? staging : render(target);
      expect(objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith(MAINTENANCE.configMap)), target).toEqual([]);
    }
  });
});
