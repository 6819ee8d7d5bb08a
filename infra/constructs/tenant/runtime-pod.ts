import * as path from 'node:path';
import { k8s } from 'cdk8s-plus-27';
import type { StackSettings } from '../../stack/stack-settings';
import type { Dataset, Resources, Tenant } from '../../tenant/types';
import {
  cassandraSecretName,
  encryptionKeysSecretName,
  kafkaPasswordSecretName,
  kafkaUserName,
  PLATFORM_PORTS,
  platformEndpoints,
  STAGING_CLAIM,
  STAGING_MOUNT,
  TENANTS_MOUNT,
  tenantConfigMapName,
} from '../common/naming';
import { securePodSpec } from '../common/secure-pod';

// The pod of every tenant runtime workload in the tenant namespace (batch CronJob, stream and sink
// Deployments): the container contract of notes/conventions.md in one place. It logs in as the
// tenant only; the provision Job, which runs as the platform, has its own pod (provision-job.ts).

/** Where encryption key files are mounted when the agreement asks for encryption. */
export const KEYS_MOUNT = '/etc/mysimbdp/keys';

export interface RuntimePodProps {
  readonly tenant: Tenant;
  readonly settings: StackSettings;
  /** Container name, e.g. `batch`. */
  readonly name: string;
  /** CLI args, e.g. `['batch']`. */
  readonly args: readonly string[];
  readonly resources: Resources;
  /** Sets DATASET. @default none (the runtime picks the tenant's first dataset) */
  readonly dataset?: Dataset;
  /** Mount the tenant's staging folder. @default true */
  readonly staging?: boolean;
  /** @default [] */
  readonly extraEnv?: readonly k8s.EnvVar[];
  /** Serve metrics and the health probes (`/healthz`, `/readyz`) on 9464, and probe them. @default false */
  readonly metrics?: boolean;
  /** @default 'Always' */
  readonly restartPolicy?: 'Always' | 'OnFailure' | 'Never';
}

/** ConfigMap key of a tenant file: `dataset.json`, `agreement.json`, `datasets__<name>.json`. */
export function tenantFileKey(relativePath: string): string {
  return relativePath.split(path.sep).join('/').replace(/\//g, '__');
}

/** Path of each of the tenant's files relative to its folder (agreement first, then datasets). */
export function tenantFilePaths(tenant: Tenant): string[] {
  return [tenant.agreement.file, ...tenant.datasets.map((d) => d.file)].map((f) => path.relative(tenant.dir, f).split(path.sep).join('/'));
}

/** An env var from a Secret key that must exist: a pod without its credentials does not start. */
export const secretEnv = (name: string, secret: string, key: string): k8s.EnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key, optional: false } },
});

/** Environment every tenant runtime container gets. */
export function runtimeEnv(props: RuntimePodProps): k8s.EnvVar[] {
  const { tenant, settings } = props;
  const endpoints = platformEndpoints(settings);
  return [
    { name: 'CLIENT_ID', value: tenant.client },
    ...(props.dataset === undefined ? [] : [{ name: 'DATASET', value: props.dataset.name }]),
    { name: 'SOURCE_PATH', value: STAGING_MOUNT },
    { name: 'TENANTS_DIR', value: TENANTS_MOUNT },
    { name: 'KAFKA_BROKERS', value: endpoints.kafkaBootstrap },
    { name: 'KAFKA_SASL_MECHANISM', value: 'scram-sha-512' },
    { name: 'KAFKA_USERNAME', value: kafkaUserName(tenant) },
    secretEnv('KAFKA_PASSWORD', kafkaPasswordSecretName(tenant), 'password'),
    { name: 'KAFKA_SSL', value: 'false' },
    { name: 'CASSANDRA_CONTACT_POINTS', value: endpoints.cassandraContactPoints },
    { name: 'CASSANDRA_LOCAL_DC', value: settings.cassandraDatacenter },
    // The tenant's own role (infra/credentials.ts), never the platform's.
    secretEnv('CASSANDRA_USERNAME', cassandraSecretName(tenant), 'username'),
    secretEnv('CASSANDRA_PASSWORD', cassandraSecretName(tenant), 'password'),
    ...(props.metrics === true ? [{ name: 'METRICS_PORT', value: String(PLATFORM_PORTS.metrics) }] : []),
    ...(tenant.agreement.encryption ? [{ name: 'ENCRYPTION_KEYS_DIR', value: KEYS_MOUNT }] : []),
    ...(props.extraEnv ?? []),
  ];
}

/**
 * The worker's own verdicts (ingest/src/http/health.ts): ready once its engines are connected and
 * its work started; not live once it has failed for good (it then exits too). The server answers
 * from the first second, so no start delay beyond the runtime's own start.
 */
const PROBES: Pick<k8s.Container, 'readinessProbe' | 'livenessProbe'> = {
  readinessProbe: { httpGet: { path: '/readyz', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 10, failureThreshold: 3 },
  livenessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('metrics') }, initialDelaySeconds: 10, periodSeconds: 20, failureThreshold: 3 },
};

/** A pod spec for one tenant runtime command, following the secure pod policy. */
export function runtimePodSpec(props: RuntimePodProps): k8s.PodSpec {
  const { tenant } = props;
  const staging = props.staging ?? true;
  const items = tenantFilePaths(tenant).map((p) => ({ key: tenantFileKey(p), path: p }));
  const volumes: k8s.Volume[] = [{ name: 'tenant', configMap: { name: tenantConfigMapName(tenant), items } }];
  const mounts: k8s.VolumeMount[] = [{ name: 'tenant', mountPath: `${TENANTS_MOUNT}/${tenant.client}`, readOnly: true }];
  if (staging) {
    // The claim's PV is `<share>/<client>`, so mounting it at SOURCE_PATH/<client> gives the runtime
    // its usual layout while the pod sees no other tenant's folder.
    volumes.push({ name: 'staging', persistentVolumeClaim: { claimName: STAGING_CLAIM } });
    mounts.push({ name: 'staging', mountPath: `${STAGING_MOUNT}/${tenant.client}` });
  }
  if (tenant.agreement.encryption) {
    volumes.push({ name: 'keys', secret: { secretName: encryptionKeysSecretName(tenant), defaultMode: 0o440 } });
    // loadKeyRing reads `<ENCRYPTION_KEYS_DIR>/<client>/<keyId>.key`.
    mounts.push({ name: 'keys', mountPath: `${KEYS_MOUNT}/${tenant.client}`, readOnly: true });
  }
  return securePodSpec({
    settings: props.settings,
    serviceAccountName: tenant.dnsName,
    restartPolicy: props.restartPolicy ?? 'Always',
    volumes,
    containers: [
      {
        name: props.name,
        args: props.args,
        resources: props.resources,
        env: runtimeEnv(props),
        ports: props.metrics === true ? [{ name: 'metrics', containerPort: PLATFORM_PORTS.metrics, protocol: 'TCP' }] : [],
        volumeMounts: mounts,
        ...(props.metrics === true ? PROBES : {}),
      },
    ],
  });
}
