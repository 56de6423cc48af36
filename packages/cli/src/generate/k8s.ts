/**
 * deploy/k8s: a Kustomize base (per process: Deployment, Service, ConfigMap,
 * HPA, PodDisruptionBudget, NetworkPolicy, migration Job; shared: default-deny
 * policy, service account, backup CronJob), components for progressive
 * delivery (Argo Rollouts canary, and blue-green on top of it) and the
 * staging / production overlays of guide 004 §2 and §6; and, outside the
 * base, the ConfigMap that switches the gateway's maintenance mode.
 *
 * Objects are typed with kubernetes-models' interfaces, so a misspelt field
 * is a compile error here; the deploy tests validate the rendered overlays
 * against the Kubernetes and Argo Rollouts schemas.
 */
import type { IAnalysisTemplate, IRollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { ICronJob, IJob } from 'kubernetes-models/batch/v1';
import type { IIngress, INetworkPolicy, INetworkPolicyEgressRule, INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IConfigMap, IContainer, IEnvFromSource, IEnvVar, IPersistentVolumeClaim, IPodSecurityContext, ISecret, IService, IServiceAccount, INamespace, IVolume, IVolumeMount } from 'kubernetes-models/v1';
import { DEFAULT_MAINTENANCE_MESSAGE, MAINTENANCE_FILE_NAME } from '@fusioncommerce/platform';
import { CRITERIA, promql, selector } from '../verify/criteria.ts';
import {
  DEFAULT_RESOURCES,
  INFRASTRUCTURE,
  SERVICES,
  SHARED_SECRET,
  activeServices,
  imageOf,
  upstreamUrls,
  workloadName,
  type ServiceSpec,
} from '../services.ts';

export const PART_OF = 'fusioncommerce';
export const SERVICE_ACCOUNT = 'fusioncommerce';
export const SHARED_CONFIG = 'fusioncommerce-config';
export const BACKUP = { name: 'fusioncommerce-db-backup', schedule: '0 */6 * * *', retentionDays: 30, claim: 'fusioncommerce-backups', secret: 'fusioncommerce-backup' };
export const PROMETHEUS_ADDRESS = 'http://prometheus.monitoring.svc.cluster.local:9090';
/** Namespaces allowed in: the ingress controller to the gateway, Prometheus to every /metrics. */
export const INGRESS_NAMESPACE = 'ingress-nginx';
export const MONITORING_NAMESPACE = 'monitoring';
export const CANARY_STEPS = [10, 25, 50, 100];
export const CANARY_PAUSE = '5m';
export const ANALYSIS_TEMPLATES = ['error-rate', 'latency-p95', 'pod-health', 'consumer-lag'].map((t) => `fusioncommerce-${t}`);
/**
 * Maintenance mode in Kubernetes: the gateway mounts this ConfigMap as an
 * optional volume and watches the file its key becomes. `kubectl apply` of
 * the manifest creates it (on), `kubectl delete` removes it and the kubelet
 * empties the volume (off) — within about a minute, no restart, no rollout.
 */
export const MAINTENANCE = {
  configMap: 'fusioncommerce-maintenance',
  key: MAINTENANCE_FILE_NAME,
  mountPath: '/etc/fusioncommerce/maintenance',
  manifest: 'deploy/k8s/maintenance/maintenance-mode.yaml',
  retryAfterSeconds: 600,
} as const;

export interface Environment {
  name: 'staging' | 'production';
  namespace: string;
  config: Record<string, string>;
  imageTag: string;
  host: string;
}

/** Guide 004 §2.2 and §6.2. */
export const ENVIRONMENTS: Environment[] = [
  {
    name: 'staging',
    namespace: 'fusioncommerce-staging',
    config: { NODE_ENV: 'staging', LOG_LEVEL: 'info', KAFKA_BROKERS: 'redpanda-staging:9092' },
    imageTag: 'staging',
    host: 'staging.shop.example.com',
  },
  {
    name: 'production',
    namespace: 'fusioncommerce-production',
    config: { NODE_ENV: 'production', LOG_LEVEL: 'warn', KAFKA_BROKERS: 'redpanda-prod:9092' },
    imageTag: 'v0.1.0',
    host: 'shop.example.com',
  },
];

export const REGISTRY = 'registry.example.com';

type Manifest = { path: string; objects: object[]; header?: string[] } | { path: string; text: string };

function labels(service: ServiceSpec, component: string): Record<string, string> {
  return {
    app: workloadName(service),
    'app.kubernetes.io/name': workloadName(service),
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/component': component,
  };
}

const commonLabels = (name: string, component: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/component': component });

const podSecurity: IPodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: 1000,
  runAsGroup: 1000,
  fsGroup: 1000,
  seccompProfile: { type: 'RuntimeDefault' },
};

const containerSecurity: IContainer['securityContext'] = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};

function envFrom(service: ServiceSpec): IEnvFromSource[] {
  const sources: IEnvFromSource[] = [{ configMapRef: { name: SHARED_CONFIG } }, { configMapRef: { name: `${service.name}-config` } }];
  if (service.secrets && service.secrets.length > 0) sources.push({ secretRef: { name: `${service.name}-secrets` } });
  sources.push({ secretRef: { name: SHARED_SECRET.name } });
  return sources;
}

const tmpVolume = { name: 'tmp', emptyDir: { sizeLimit: '128Mi' } };

/** The gateway's maintenance flag: the optional ConfigMap, read-only, as a directory (a subPath mount would never see a change). */
function maintenanceMount(spec: ServiceSpec): { env: IEnvVar[]; volumeMounts: IVolumeMount[]; volumes: IVolume[] } {
  if (spec.kind !== 'gateway') return { env: [], volumeMounts: [], volumes: [] };
  return {
    env: [{ name: 'FUSION_MAINTENANCE_FILE', value: `${MAINTENANCE.mountPath}/${MAINTENANCE.key}` }],
    volumeMounts: [{ name: 'maintenance', mountPath: MAINTENANCE.mountPath, readOnly: true }],
    volumes: [{ name: 'maintenance', configMap: { name: MAINTENANCE.configMap, optional: true } }],
  };
}

function deployment(service: ServiceSpec): IDeployment {
  const name = workloadName(service);
  const resources = service.resources ?? DEFAULT_RESOURCES;
  const http = { port: 'http' };
  const maintenance = maintenanceMount(service);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: labels(service, service.kind === 'gateway' ? 'gateway' : 'api') },
    spec: {
      // No replicas: the HorizontalPodAutoscaler owns the count (guide 004 §6.4).
      revisionHistoryLimit: 10,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      selector: { matchLabels: { app: name } },
      template: {
        metadata: {
          labels: labels(service, service.kind === 'gateway' ? 'gateway' : 'api'),
          annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(service.port), 'prometheus.io/path': '/metrics' },
        },
        spec: {
          serviceAccountName: SERVICE_ACCOUNT,
          automountServiceAccountToken: false,
          securityContext: podSecurity,
          // SIGTERM drains in-flight requests for SHUTDOWN_GRACE_MS (10 s) after the preStop pause.
          terminationGracePeriodSeconds: 30,
          topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: name } } },
          ],
          containers: [
            {
              name,
              image: `${imageOf(service)}:latest`,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: service.port, protocol: 'TCP' }],
              envFrom: envFrom(service),
              env: [{ name: 'PORT', value: String(service.port) }, ...maintenance.env],
              resources,
              startupProbe: { httpGet: { path: '/startup', ...http }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 36 },
              livenessProbe: { httpGet: { path: '/health', ...http }, initialDelaySeconds: 15, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
              readinessProbe: { httpGet: { path: '/ready', ...http }, initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
              // Endpoints drop the pod before it stops taking connections.
              lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
              securityContext: containerSecurity,
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, ...maintenance.volumeMounts],
            },
          ],
          volumes: [tmpVolume, ...maintenance.volumes],
        },
      },
    },
  };
}

/** Not in the base: applying an overlay never switches maintenance mode on or off. */
const maintenanceConfigMap: IConfigMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: MAINTENANCE.configMap, labels: commonLabels(MAINTENANCE.configMap, 'maintenance') },
  data: { [MAINTENANCE.key]: `${JSON.stringify({ message: DEFAULT_MAINTENANCE_MESSAGE, retryAfterSeconds: MAINTENANCE.retryAfterSeconds }, null, 2)}\n` },
};

const MAINTENANCE_HEADER = [
  'Maintenance mode of the gateway (docs/deployment.md §12; guide 001 steps 4 and 10), per namespace:',
  `  on:  kubectl apply -f ${MAINTENANCE.manifest} -n <namespace>`,
  `  off: kubectl delete -f ${MAINTENANCE.manifest} -n <namespace>`,
  `Every gateway pod mounts this ConfigMap (optional) at ${MAINTENANCE.mountPath}; the kubelet brings a change there within`,
  'about a minute, without a restart or a rollout, and the gateway looks at the file every second. While it exists the',
  'gateway answers business requests 503 with this message and Retry-After; /health, /ready and /metrics answer as always.',
  `Another message for one window: kubectl create configmap ${MAINTENANCE.configMap} -n <namespace> --from-literal=${MAINTENANCE.key}='{"message":"…","retryAfterSeconds":1800}'`,
];

function service(spec: ServiceSpec, suffix = ''): IService {
  const name = `${workloadName(spec)}${suffix}`;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: labels(spec, spec.kind === 'gateway' ? 'gateway' : 'api') },
    spec: {
      type: 'ClusterIP',
      selector: { app: workloadName(spec) },
      ports: [{ name: 'http', port: spec.port, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

function hpa(spec: ServiceSpec): IHorizontalPodAutoscaler {
  const name = workloadName(spec);
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: `${name}-hpa`, labels: labels(spec, 'autoscaling') },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: spec.scaling.minReplicas,
      maxReplicas: spec.scaling.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.scaling.cpuPercent } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
  };
}

function pdb(spec: ServiceSpec): IPodDisruptionBudget {
  const name = workloadName(spec);
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: `${name}-pdb`, labels: labels(spec, 'availability') },
    // One pod at a time: a drain never takes the service down when it has two, and never blocks when it has one.
    spec: { maxUnavailable: 1, selector: { matchLabels: { app: name } } },
  };
}

const dnsEgress: INetworkPolicyEgressRule = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ],
};
// PostgreSQL and Redpanda may live outside the cluster (a managed database): allowed by port, to any address.
const databaseEgress: INetworkPolicyEgressRule = { ports: [{ protocol: 'TCP', port: INFRASTRUCTURE.postgres.port }] };
const kafkaEgress: INetworkPolicyEgressRule = { ports: [{ protocol: 'TCP', port: INFRASTRUCTURE.redpanda.kafkaPort }] };
const namespaceSelector = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });

function networkPolicy(spec: ServiceSpec): INetworkPolicy {
  const name = workloadName(spec);
  const active = activeServices();
  const port: INetworkPolicyPort[] = [{ protocol: 'TCP', port: spec.port }];
  const callers =
    spec.kind === 'gateway'
      ? [namespaceSelector(INGRESS_NAMESPACE)]
      : [
          { podSelector: { matchLabels: { app: 'gateway' } } },
          // Services that will call this one, listed ahead of their arrival so the policy does not change when they do.
          ...(spec.calledBy ?? []).map((caller) => ({ podSelector: { matchLabels: { app: workloadName(SERVICES.find((s) => s.name === caller) ?? spec) } } })),
        ];
  // The gateway proxies to the services and holds no data: DNS and their ports, no database, no broker.
  const egress: INetworkPolicyEgressRule[] = spec.kind === 'gateway' ? [dnsEgress] : [dnsEgress, databaseEgress, kafkaEgress];
  if (spec.kind === 'gateway') {
    for (const other of active.filter((s) => s.kind === 'service')) {
      egress.push({ to: [{ podSelector: { matchLabels: { app: workloadName(other) } } }], ports: [{ protocol: 'TCP', port: other.port }] });
    }
  }
  for (const callee of active.filter((s) => s.calledBy?.includes(spec.name))) {
    egress.push({ to: [{ podSelector: { matchLabels: { app: workloadName(callee) } } }], ports: [{ protocol: 'TCP', port: callee.port }] });
  }
  if (spec.internetEgress) egress.push({ ports: [{ protocol: 'TCP', port: 443 }] });
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, labels: labels(spec, 'network-policy') },
    spec: {
      podSelector: { matchLabels: { app: name } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: callers, ports: port },
        { from: [namespaceSelector(MONITORING_NAMESPACE)], ports: port },
      ],
      egress,
    },
  };
}

/**
 * The migration Job: `npx knex migrate:latest` in the service's own image
 * before the new version serves (guide 004 §7.1). Argo CD runs it as a
 * PreSync hook; the deploy workflow applies it, waits for it, then rolls out.
 */
function migrationJob(spec: ServiceSpec): IJob {
  const name = `${spec.name}-migrate`;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      labels: { ...labels(spec, 'migration'), app: name },
      annotations: { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' },
    },
    spec: {
      backoffLimit: 2,
      activeDeadlineSeconds: 600,
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: { labels: { ...labels(spec, 'migration'), app: name } },
        spec: {
          restartPolicy: 'Never',
          serviceAccountName: SERVICE_ACCOUNT,
          automountServiceAccountToken: false,
          securityContext: podSecurity,
          containers: [
            {
              name: 'migrate',
              image: `${imageOf(spec)}:latest`,
              imagePullPolicy: 'IfNotPresent',
              command: ['npx', 'knex', 'migrate:latest'],
              envFrom: envFrom(spec),
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
              securityContext: containerSecurity,
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [tmpVolume],
        },
      },
    },
  };
}

function ingress(spec: ServiceSpec): IIngress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: workloadName(spec), labels: labels(spec, 'gateway') },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          host: 'shop.example.com',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: workloadName(spec), port: { name: 'http' } } } }] },
        },
      ],
    },
  };
}

function serviceKustomization(spec: ServiceSpec): object {
  const resources = ['deployment.yaml', 'service.yaml', 'hpa.yaml', 'pdb.yaml', 'networkpolicy.yaml'];
  if (spec.kind === 'service') resources.push('migrate-job.yaml');
  if (spec.kind === 'gateway') resources.push('ingress.yaml');
  // The gateway reaches each service through its Service's DNS name in the same namespace: proxy mode.
  const upstreams = spec.kind === 'gateway' ? upstreamUrls() : {};
  // One proxy in front of each: the ingress before the gateway, the gateway before a service (NetworkPolicies let nothing else in).
  // Its X-Forwarded-For then names the shopper, whom sign-in throttling counts.
  const literals = Object.entries({ SERVICE_NAME: spec.name, TRUST_PROXY: '1', ...(spec.config ?? {}), ...upstreams }).map(([k, val]) => `${k}=${val}`);
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources,
    configMapGenerator: [{ name: `${spec.name}-config`, literals }],
  };
}

// ---- shared: service account, default deny, job policies, backups ----

const serviceAccount: IServiceAccount = {
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name: SERVICE_ACCOUNT, labels: commonLabels(SERVICE_ACCOUNT, 'identity') },
  automountServiceAccountToken: false,
};

const defaultDeny: INetworkPolicy = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'default-deny-all', labels: commonLabels('default-deny-all', 'network-policy') },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
};

const jobsPolicy: INetworkPolicy = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'database-jobs', labels: commonLabels('database-jobs', 'network-policy') },
  spec: {
    // Migrations and backups talk to the database and nothing else; nothing talks to them.
    podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: ['migration', 'backup'] }] },
    policyTypes: ['Ingress', 'Egress'],
    egress: [dnsEgress, databaseEgress],
  },
};

const backupClaim: IPersistentVolumeClaim = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: BACKUP.claim, labels: commonLabels(BACKUP.claim, 'backup') },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } },
};

/** Guide 003: databases every 6 hours, kept 30 days. Restorable with `fusion restore <file>`. */
const backupCronJob: ICronJob = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: BACKUP.name, labels: commonLabels(BACKUP.name, 'backup') },
  spec: {
    schedule: BACKUP.schedule,
    timeZone: 'Etc/UTC',
    concurrencyPolicy: 'Forbid',
    startingDeadlineSeconds: 3600,
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 3,
    jobTemplate: {
      metadata: { labels: commonLabels(BACKUP.name, 'backup') },
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: 3600,
        template: {
          metadata: { labels: commonLabels(BACKUP.name, 'backup') },
          spec: {
            restartPolicy: 'Never',
            automountServiceAccountToken: false,
            serviceAccountName: SERVICE_ACCOUNT,
            // The postgres image's own user.
            securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'pg-dump',
                image: INFRASTRUCTURE.postgres.image,
                command: ['/bin/sh', '/scripts/backup.sh'],
                env: [
                  { name: 'BACKUP_DIR', value: '/backups' },
                  { name: 'RETENTION_DAYS', value: String(BACKUP.retentionDays) },
                ],
                envFrom: [{ secretRef: { name: BACKUP.secret } }],
                resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1000m', memory: '1Gi' } },
                securityContext: containerSecurity,
                volumeMounts: [
                  { name: 'backups', mountPath: '/backups' },
                  { name: 'scripts', mountPath: '/scripts', readOnly: true },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'backups', persistentVolumeClaim: { claimName: BACKUP.claim } },
              { name: 'scripts', configMap: { name: 'fusioncommerce-backup-script', defaultMode: 0o555 } },
              tmpVolume,
            ],
          },
        },
      },
    },
  },
};

export const BACKUP_SCRIPT = `#!/bin/sh
# Dumps every database in BACKUP_DATABASE_URLS (space-separated postgres:// URLs)
# into BACKUP_DIR as <database>_<UTC timestamp>.sql.gz, then deletes dumps older
# than RETENTION_DAYS. The same format as \`fusion backup\` (plain SQL that drops
# what it recreates), gzipped; \`fusion restore <file>\` reads both.
set -eu
dir="\${BACKUP_DIR:-/backups}"
days="\${RETENTION_DAYS:-30}"
stamp=$(date -u +%Y%m%d_%H%M%S)
: "\${BACKUP_DATABASE_URLS:?set BACKUP_DATABASE_URLS (secret ${BACKUP.secret})}"
for url in $BACKUP_DATABASE_URLS; do
  database=$(printf '%s' "$url" | sed -e 's|^[^/]*//[^/]*/||' -e 's|[?].*$||')
  out="$dir/\${database}_\${stamp}.sql"
  pg_dump --clean --if-exists --no-owner --no-privileges --format=plain --dbname="$url" --file="$out.partial"
  gzip -9 "$out.partial"
  mv "$out.partial.gz" "$out.gz"
  echo "backed up $database to $out.gz ($(wc -c < "$out.gz") bytes)"
done
find "$dir" -name '*.sql.gz' -type f -mtime +"$days" -print -exec rm -f {} +
`;

function commonKustomization(): object {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: ['serviceaccount.yaml', 'networkpolicy-default-deny.yaml', 'networkpolicy-database-jobs.yaml', 'backup-pvc.yaml', 'backup-cronjob.yaml'],
    configMapGenerator: [
      {
        // Settings every process reads (ARCHITECTURE §3); overlays merge in their environment's values.
        name: SHARED_CONFIG,
        literals: ['NODE_ENV=production', 'LOG_LEVEL=info', `KAFKA_BROKERS=redpanda:${INFRASTRUCTURE.redpanda.kafkaPort}`, 'HOST=0.0.0.0', 'MIGRATE_ON_START=false', 'SHUTDOWN_GRACE_MS=10000'],
      },
      { name: 'fusioncommerce-backup-script', files: ['backup.sh'] },
    ],
  };
}

// ---- progressive delivery (Argo Rollouts) ----

/** Canary analysis arguments: which pods are new, which are stable, and where they run. */
function analysisArgs(spec: ServiceSpec) {
  return [
    { name: 'service', value: spec.name },
    { name: 'container', value: workloadName(spec) },
    { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
    { name: 'stable-hash', valueFrom: { podTemplateHashValue: 'Stable' } },
  ];
}

function rollout(spec: ServiceSpec): IRollout {
  const name = workloadName(spec);
  const steps: NonNullable<NonNullable<NonNullable<IRollout['spec']>['strategy']>['canary']>['steps'] = [];
  CANARY_STEPS.forEach((weight, index) => {
    steps.push({ setWeight: weight });
    if (index < CANARY_STEPS.length - 1) steps.push({ pause: { duration: CANARY_PAUSE } });
  });
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, labels: labels(spec, spec.kind === 'gateway' ? 'gateway' : 'api') },
    spec: {
      replicas: spec.scaling.minReplicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: { app: name } },
      // The pod template stays in the Deployment (scaled to zero here); the Rollout runs it.
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      strategy: {
        canary: {
          maxSurge: 1,
          maxUnavailable: 0,
          analysis: { templates: ANALYSIS_TEMPLATES.map((templateName) => ({ templateName })), startingStep: 1, args: analysisArgs(spec) },
          steps,
        },
      },
    },
  };
}

const newPods = 'service="{{args.service}}",namespace="{{args.namespace}}",rollouts_pod_template_hash="{{args.canary-hash}}"';
const stablePods = 'service="{{args.service}}",namespace="{{args.namespace}}",rollouts_pod_template_hash="{{args.stable-hash}}"';
/** An empty or NaN answer means no traffic yet: not a failure. */
const noData = 'len(result) == 0 || isNaN(result[0])';

function analysisTemplate(name: string, args: string[], metric: { query: string; successCondition: string; interval?: string }): IAnalysisTemplate {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name, labels: commonLabels(name, 'analysis') },
    spec: {
      args: args.map((a) => ({ name: a })),
      metrics: [
        {
          name: name.replace(/^fusioncommerce-/, ''),
          interval: metric.interval ?? '1m',
          // Two bad measurements in a row abort the rollout and scale the new pods away.
          failureLimit: 1,
          consecutiveErrorLimit: 4,
          successCondition: metric.successCondition,
          provider: { prometheus: { address: PROMETHEUS_ADDRESS, query: metric.query } },
        },
      ],
    },
  };
}

/** Guide 004 §10.4's rollback triggers, as Argo Rollouts measures them (the same PromQL as `fusion verify`). */
export function analysisTemplates(): IAnalysisTemplate[] {
  const [errorRate, latency, health, lag] = ANALYSIS_TEMPLATES as [string, string, string, string];
  return [
    analysisTemplate(errorRate, ['service', 'namespace', 'canary-hash'], {
      query: promql.errorRate(newPods, '2m'),
      successCondition: `${noData} || result[0] <= ${CRITERIA.maxErrorRate}`,
    }),
    analysisTemplate(latency, ['service', 'namespace', 'canary-hash', 'stable-hash'], {
      query: `(${promql.p95(newPods, '5m')}) / (${promql.p95(stablePods, '5m')})`,
      successCondition: `${noData} || result[0] <= ${CRITERIA.maxP95Ratio}`,
    }),
    analysisTemplate(health, ['namespace', 'container'], {
      query: promql.unhealthyPods('{{args.namespace}}', '{{args.container}}'),
      successCondition: `${noData} || result[0] < ${CRITERIA.unhealthyPods}`,
      interval: '30s',
    }),
    analysisTemplate(lag, ['service', 'namespace'], {
      query: promql.consumerLag(selector({ service: '{{args.service}}', namespace: '{{args.namespace}}' })),
      successCondition: `${noData} || result[0] <= ${CRITERIA.maxConsumerLag}`,
    }),
  ];
}

function canaryComponent(): object {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1alpha1',
    kind: 'Component',
    resources: ['analysis-templates.yaml', 'rollouts.yaml'],
    patches: [
      {
        // The Rollouts run the pods now: the Deployments keep only the template.
        target: { kind: 'Deployment', labelSelector: `app.kubernetes.io/part-of=${PART_OF}` },
        patch: '- op: add\n  path: /spec/replicas\n  value: 0\n',
      },
      {
        target: { kind: 'HorizontalPodAutoscaler', labelSelector: `app.kubernetes.io/part-of=${PART_OF}` },
        patch: '- op: replace\n  path: /spec/scaleTargetRef/apiVersion\n  value: argoproj.io/v1alpha1\n- op: replace\n  path: /spec/scaleTargetRef/kind\n  value: Rollout\n',
      },
    ],
  };
}

/** Blue-green instead of canary: the new version comes up beside the old behind a preview Service, is analysed, promoted by hand, and the old one stays 30 minutes for an instant switch back. */
function blueGreenStrategy(spec: ServiceSpec): NonNullable<IRollout['spec']>['strategy'] {
  const args = analysisArgs(spec);
  const name = workloadName(spec);
  return {
    blueGreen: {
      activeService: name,
      previewService: `${name}-preview`,
      autoPromotionEnabled: false,
      prePromotionAnalysis: { templates: [{ templateName: 'fusioncommerce-pod-health' }], args },
      postPromotionAnalysis: { templates: ANALYSIS_TEMPLATES.map((templateName) => ({ templateName })), args },
      scaleDownDelaySeconds: CRITERIA.watchMinutes * 60,
    },
  };
}

function blueGreenComponent(): object {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1alpha1',
    kind: 'Component',
    resources: ['preview-services.yaml'],
    patches: activeServices().map((spec) => ({
      target: { group: 'argoproj.io', version: 'v1alpha1', kind: 'Rollout', name: workloadName(spec) },
      patch: `- op: replace\n  path: /spec/strategy\n  value: ${JSON.stringify(blueGreenStrategy(spec))}\n`,
    })),
  };
}

// ---- overlays ----

function namespace(env: Environment): INamespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: env.namespace,
      labels: {
        'app.kubernetes.io/part-of': PART_OF,
        // Every pod here runs as the restricted Pod Security Standard asks.
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
      },
    },
  };
}

function overlay(env: Environment): object {
  const gateway = activeServices().find((s) => s.kind === 'gateway');
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: env.namespace,
    resources: ['namespace.yaml', '../../base'],
    components: ['../../components/canary'],
    configMapGenerator: [{ name: SHARED_CONFIG, behavior: 'merge', literals: Object.entries(env.config).map(([k, val]) => `${k}=${val}`) }],
    images: activeServices().map((s) => ({ name: imageOf(s), newName: `${REGISTRY}/${imageOf(s)}`, newTag: env.imageTag })),
    patches: gateway
      ? [{ target: { kind: 'Ingress', name: workloadName(gateway) }, patch: `- op: replace\n  path: /spec/rules/0/host\n  value: ${env.host}\n` }]
      : [],
  };
}

interface SecretTemplate {
  header: string[];
  secret: ISecret;
}

function secretTemplate(name: string, keys: { key: string; optional?: boolean; description: string }[], note: string): SecretTemplate {
  const secret: ISecret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, labels: { 'app.kubernetes.io/part-of': PART_OF } },
    type: 'Opaque',
    stringData: Object.fromEntries(keys.map((k) => [k.key, ''])),
  };
  const header = [
    `# Template of the Secret "${name}" (${note}). Not applied by kustomize: fill in a copy`,
    '# outside git, or create it directly (guide 004 §8.2), e.g.',
    `#   kubectl create secret generic ${name} --namespace <namespace> \\`,
    ...keys.map((k, i) => `#     --from-literal=${k.key}='…'${i < keys.length - 1 ? ' \\' : ''}`),
    ...keys.map((k) => `# ${k.key}${k.optional ? ' (optional)' : ''}: ${k.description}`),
  ];
  return { header, secret };
}

export interface GeneratedK8s {
  files: Manifest[];
  secretTemplates: ({ path: string } & SecretTemplate)[];
}

export function k8sManifests(): GeneratedK8s {
  const files: Manifest[] = [];
  const active = activeServices();
  files.push({
    path: 'deploy/k8s/base/kustomization.yaml',
    objects: [
      {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        labels: [{ pairs: { 'app.kubernetes.io/part-of': PART_OF }, includeSelectors: false }],
        resources: ['common', ...active.map((s) => s.name)],
      },
    ],
  });
  files.push({ path: 'deploy/k8s/base/common/kustomization.yaml', objects: [commonKustomization()] });
  files.push({ path: 'deploy/k8s/base/common/serviceaccount.yaml', objects: [serviceAccount] });
  files.push({ path: 'deploy/k8s/base/common/networkpolicy-default-deny.yaml', objects: [defaultDeny] });
  files.push({ path: 'deploy/k8s/base/common/networkpolicy-database-jobs.yaml', objects: [jobsPolicy] });
  files.push({ path: 'deploy/k8s/base/common/backup-pvc.yaml', objects: [backupClaim] });
  files.push({ path: 'deploy/k8s/base/common/backup-cronjob.yaml', objects: [backupCronJob] });
  files.push({ path: 'deploy/k8s/base/common/backup.sh', text: BACKUP_SCRIPT });

  for (const spec of active) {
    const dir = `deploy/k8s/base/${spec.name}`;
    files.push({ path: `${dir}/kustomization.yaml`, objects: [serviceKustomization(spec)] });
    files.push({ path: `${dir}/deployment.yaml`, objects: [deployment(spec)] });
    files.push({ path: `${dir}/service.yaml`, objects: [service(spec)] });
    files.push({ path: `${dir}/hpa.yaml`, objects: [hpa(spec)] });
    files.push({ path: `${dir}/pdb.yaml`, objects: [pdb(spec)] });
    files.push({ path: `${dir}/networkpolicy.yaml`, objects: [networkPolicy(spec)] });
    if (spec.kind === 'service') files.push({ path: `${dir}/migrate-job.yaml`, objects: [migrationJob(spec)] });
    if (spec.kind === 'gateway') files.push({ path: `${dir}/ingress.yaml`, objects: [ingress(spec)] });
  }

  files.push({ path: MAINTENANCE.manifest, objects: [maintenanceConfigMap], header: MAINTENANCE_HEADER });

  files.push({ path: 'deploy/k8s/components/canary/kustomization.yaml', objects: [canaryComponent()] });
  files.push({ path: 'deploy/k8s/components/canary/analysis-templates.yaml', objects: analysisTemplates() });
  files.push({ path: 'deploy/k8s/components/canary/rollouts.yaml', objects: active.map(rollout) });
  files.push({ path: 'deploy/k8s/components/blue-green/kustomization.yaml', objects: [blueGreenComponent()] });
  files.push({ path: 'deploy/k8s/components/blue-green/preview-services.yaml', objects: active.map((s) => service(s, '-preview')) });

  for (const env of ENVIRONMENTS) {
    files.push({ path: `deploy/k8s/overlays/${env.name}/kustomization.yaml`, objects: [overlay(env)] });
    files.push({ path: `deploy/k8s/overlays/${env.name}/namespace.yaml`, objects: [namespace(env)] });
  }
  const production = ENVIRONMENTS.find((e) => e.name === 'production') as Environment;
  files.push({
    path: 'deploy/k8s/overlays/production-blue-green/kustomization.yaml',
    objects: [
      {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        namespace: production.namespace,
        resources: ['../production'],
        components: ['../../components/blue-green'],
      },
    ],
  });

  const secretTemplates = [
    ...active
      .filter((s) => s.secrets && s.secrets.length > 0)
      .map((s) => ({
        path: `deploy/k8s/secrets/${s.name}-secrets.example.yaml`,
        ...secretTemplate(`${s.name}-secrets`, s.secrets ?? [], `read by ${workloadName(s)}${s.kind === 'service' ? ` and ${s.name}-migrate` : ''}`),
      })),
    {
      path: `deploy/k8s/secrets/${SHARED_SECRET.name}.example.yaml`,
      ...secretTemplate(SHARED_SECRET.name, SHARED_SECRET.keys, 'read by every process: they all verify the same tokens'),
    },
    {
      path: `deploy/k8s/secrets/${BACKUP.secret}.example.yaml`,
      ...secretTemplate(
        BACKUP.secret,
        [{ key: 'BACKUP_DATABASE_URLS', description: 'space-separated postgres:// URLs of every database to back up' }],
        `read by the ${BACKUP.name} CronJob`,
      ),
    },
  ];
  return { files, secretTemplates };
}
