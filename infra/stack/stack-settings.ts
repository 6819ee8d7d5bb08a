import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../errors';
import { parseMemory, type Quantity } from '../tenant/rules/quantity';
import { isDnsLabel, isDnsSubdomain } from '../tenant/rules/dns-name';

// One typed, validated view of a Pulumi stack's config (`mysimbdp:<key>`), shared by synth, diff and
// the Pulumi program, so a manifest rendered locally equals what `pulumi up` deploys.

export interface ImageSettings {
  /** e.g. `ghcr.io/mysimbdp`. */
  readonly registry: string;
  /** e.g. `ingest`. */
  readonly repository: string;
  /** Required; never `latest`, so every rollout is a visible manifest change. */
  readonly tag: string;
}

export interface ReplicaSettings {
  /** Upload API pods. @default 2 */
  readonly api: number;
  /** Stream monitor pods. @default 1 */
  readonly monitor: number;
  /** Kafka broker (KafkaNodePool) replicas. @default 3 */
  readonly kafkaBrokers: number;
  /** CassandraDatacenter size. @default 3 */
  readonly cassandraNodes: number;
  /** Replication factor of every tenant KafkaTopic. @default min(3, kafkaBrokers) */
  readonly kafkaTopics: number;
}

/** The shared staging share; each tenant namespace gets a static PV on `<path>/<client>`. */
export interface StagingSettings {
  /** NFS server host name or IP. */
  readonly server: string;
  /** Exported directory of the share (absolute). */
  readonly path: string;
  /** Capacity written on each static PV/PVC. @default '10Gi' */
  readonly size: Quantity;
}

export interface OperatorSettings {
  /**
   * Install the Strimzi and cass-operator CRDs the constructs were typed from (infra/imports/crds)
   * as resources of their own, before the operators and every custom resource; the charts then skip
   * theirs. Never deleted by Pulumi: deleting a CRD deletes every resource of its kind. @default true
   */
  readonly crds: boolean;
  /** Install Strimzi from its Helm chart. @default true */
  readonly strimzi: boolean;
  /** Install cass-operator from its Helm chart. @default true */
  readonly cassOperator: boolean;
  /** Install KEDA; also turns on the sink ScaledObjects. @default false */
  readonly keda: boolean;
  /** Install kube-prometheus-stack (PodMonitor/ServiceMonitor CRDs). @default false */
  readonly prometheus: boolean;
}

export interface StackSettings {
  /** Pulumi stack name, e.g. `dev`. */
  readonly stack: string;
  readonly image: ImageSettings;
  /** Namespaces are `<prefix>-platform` and `<prefix>-<dns-client>`. @default 'mysimbdp' */
  readonly namespacePrefix: string;
  readonly replicas: ReplicaSettings;
  /** Storage class of Kafka and Cassandra volumes. @default 'standard' */
  readonly storageClass: string;
  readonly staging: StagingSettings;
  readonly operators: OperatorSettings;
  /** Strimzi `Kafka` name. @default 'mysimbdp' */
  readonly kafkaClusterName: string;
  /** cass-operator `clusterName`. @default 'mysimbdp' */
  readonly cassandraClusterName: string;
  /** cass-operator datacenter name; also the runtime's CASSANDRA_LOCAL_DC. @default 'dc1' */
  readonly cassandraDatacenter: string;
  /**
   * Name of the `kubernetes.io/dockerconfigjson` Secret Strimzi pushes each tenant's Kafka Connect
   * image with (`spec.build.output.pushSecret`), in every tenant namespace that has connectors. The
   * Pulumi program creates it from the stack secret `connectRegistryAuth`; without that secret it
   * must exist already (made out of band). @default undefined (pushes without credentials)
   */
  readonly connectPushSecret?: string;
  /**
   * Pulumi creates every object without waiting for it to become ready (annotation
   * `pulumi.com/skipAwait`): for a control plane without kubelets, where workloads never do.
   * @default false
   */
  readonly skipAwait: boolean;
}

/**
 * Config keys (`mysimbdp:<key>` in Pulumi.<stack>.yaml). Flat camelCase keys, so
 * `new pulumi.Config('mysimbdp').get(key)` and the YAML reader see the same strings.
 */
export const STACK_CONFIG_KEYS = [
  'imageRegistry',
  'imageRepository',
  'imageTag',
  'namespacePrefix',
  'apiReplicas',
  'monitorReplicas',
  'kafkaBrokers',
  'cassandraNodes',
  'kafkaTopicReplicas',
  'storageClass',
  'stagingServer',
  'stagingPath',
  'stagingSize',
  'installCrds',
  'installStrimzi',
  'installCassOperator',
  'installKeda',
  'installPrometheus',
  'kafkaClusterName',
  'cassandraClusterName',
  'cassandraDatacenter',
  'connectPushSecret',
  'skipAwait',
] as const;
export type StackConfigKey = (typeof STACK_CONFIG_KEYS)[number];

/** Secret keys (`pulumi config set --secret`), read only by the Pulumi program (infra/pulumi/stack-secrets.ts). */
export const STACK_SECRET_KEYS = ['apiTokens', 'apiOperatorTokens', 'cassandraPassword', 'tenantPasswordSeed', 'encryptionKeys', 'connectRegistryAuth'] as const;

/** Secret keys renamed since: a stack file still naming one is told the new name instead of "unknown". */
const RENAMED_SECRET_KEYS: Readonly<Record<string, (typeof STACK_SECRET_KEYS)[number]>> = { kafkaPasswordSeed: 'tenantPasswordSeed' };



/** Builds validated settings from a key lookup (Pulumi config or a Pulumi.<stack>.yaml file). */
export function stackSettingsFrom(stack: string, get: (key: StackConfigKey) => string | undefined): StackSettings {
  if (!isDnsLabel(stack)) throw new InputError(`stack name must be a DNS label, got "${stack}"`);
  const read = (key: StackConfigKey): string | undefined => {
    const value = get(key);
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const required = (key: StackConfigKey): string => {
    const value = read(key);
    if (value === undefined) throw new InputError(`stack "${stack}": config mysimbdp:${key} is required`);
    return value;
  };
  const dnsLabel = (key: StackConfigKey, fallback: string, maxLength: number): string => {
    const value = read(key) ?? fallback;
    if (!isDnsLabel(value, maxLength)) {
      throw new InputError(`stack "${stack}": config mysimbdp:${key} must be a DNS label of at most ${maxLength} characters, got "${value}"`);
    }
    return value;
  };
  const count = (key: StackConfigKey, fallback: number, min: number): number => {
    const raw = read(key);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^[0-9]+$/.test(raw) || value < min) {
      throw new InputError(`stack "${stack}": config mysimbdp:${key} must be an integer >= ${min}, got "${raw}"`);
    }
    return value;
  };
  const secretName = (key: StackConfigKey): string | undefined => {
    const value = read(key);
    if (value !== undefined && !isDnsSubdomain(value)) {
      throw new InputError(`stack "${stack}": config mysimbdp:${key} must be a Secret name (DNS subdomain: a-z, 0-9, '-', '.', at most 253 characters), got "${value}"`);
    }
    return value;
  };
  const flag = (key: StackConfigKey, fallback: boolean): boolean => {
    const raw = read(key);
    if (raw === undefined) return fallback;
    if (raw !== 'true' && raw !== 'false') throw new InputError(`stack "${stack}": config mysimbdp:${key} must be true or false, got "${raw}"`);
    return raw === 'true';
  };

  const tag = required('imageTag');
  if (tag === 'latest') throw new InputError(`stack "${stack}": config mysimbdp:imageTag must pin a version, got "latest"`);
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
    throw new InputError(`stack "${stack}": config mysimbdp:imageTag is not a valid image tag, got "${tag}"`);
  }
  const stagingPath = required('stagingPath');
  if (!stagingPath.startsWith('/')) throw new InputError(`stack "${stack}": config mysimbdp:stagingPath must be absolute, got "${stagingPath}"`);
  const stagingText = read('stagingSize') ?? '10Gi';
  const stagingSize = parseMemory(stagingText);
  if (!stagingSize.ok) throw new InputError(`stack "${stack}": config mysimbdp:stagingSize ${stagingSize.message}, got "${stagingText}"`);

  const kafkaBrokers = count('kafkaBrokers', 3, 1);
  const kafkaTopics = count('kafkaTopicReplicas', Math.min(3, kafkaBrokers), 1);
  if (kafkaTopics > kafkaBrokers) {
    throw new InputError(`stack "${stack}": config mysimbdp:kafkaTopicReplicas must be <= kafkaBrokers (${kafkaBrokers}), got "${kafkaTopics}"`);
  }

  return {
    stack,
    image: { registry: required('imageRegistry').replace(/\/+$/, ''), repository: required('imageRepository'), tag },
    // 63 (label) minus the longest suffix we add (`-platform`, or `-` + a client's DNS name).
    namespacePrefix: dnsLabel('namespacePrefix', 'mysimbdp', 20),
    replicas: {
      api: count('apiReplicas', 2, 1),
      monitor: count('monitorReplicas', 1, 1),
      kafkaBrokers,
      cassandraNodes: count('cassandraNodes', 3, 1),
      kafkaTopics,
    },
    storageClass: dnsLabel('storageClass', 'standard', 63),
    staging: { server: required('stagingServer'), path: stagingPath.replace(/\/+$/, '') || '/', size: stagingSize.quantity },
    operators: {
      crds: flag('installCrds', true),
      strimzi: flag('installStrimzi', true),
      cassOperator: flag('installCassOperator', true),
      keda: flag('installKeda', false),
      prometheus: flag('installPrometheus', false),
    },
    kafkaClusterName: dnsLabel('kafkaClusterName', 'mysimbdp', 40),
    cassandraClusterName: dnsLabel('cassandraClusterName', 'mysimbdp', 40),
    cassandraDatacenter: dnsLabel('cassandraDatacenter', 'dc1', 40),
    connectPushSecret: secretName('connectPushSecret'),
    skipAwait: flag('skipAwait', false),
  };
}

/** `<registry>/<repository>:<tag>` — the one image every workload runs. */
export function imageRef(image: ImageSettings): string {
  return `${image.registry}/${image.repository}:${image.tag}`;
}

/**
 * Reads `<rootDir>/Pulumi.<stack>.yaml` (`config: { mysimbdp:<key>: value }`) without the Pulumi
 * engine, for `synth` and `diff`. Keys of other namespaces (e.g. `kubernetes:context`) are ignored;
 * unknown `mysimbdp:` keys are errors, so a typo never silently falls back to a default.
 */
export function readStackConfigFile(rootDir: string, stack: string): StackSettings {
  const file = path.join(rootDir, `Pulumi.${stack}.yaml`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`stack "${stack}": cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new InputError(`${file}: invalid YAML: ${(err as Error).message}`, { cause: err });
  }
  const config = (doc as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new InputError(`${file}: config must be a mapping`);
  }
  const values = new Map<string, string>();
  for (const [key, value] of Object.entries(config)) {
    if (!key.startsWith('mysimbdp:')) continue;
    const name = key.slice('mysimbdp:'.length);
    if ((STACK_SECRET_KEYS as readonly string[]).includes(name)) continue;
    const renamed = RENAMED_SECRET_KEYS[name];
    if (renamed !== undefined) {
      // the same value keeps every tenant's Kafka password
      throw new InputError(`${file}: config key ${key} is now mysimbdp:${renamed}: set that secret to the same value and remove ${key}`);
    }
    if (!(STACK_CONFIG_KEYS as readonly string[]).includes(name)) throw new InputError(`${file}: unknown config key ${key}`);
    if (typeof value === 'object' && value !== null) throw new InputError(`${file}: config ${key} must be a scalar, got ${JSON.stringify(value)}`);
    values.set(name, String(value));
  }
  return stackSettingsFrom(stack, (key) => values.get(key));
}
