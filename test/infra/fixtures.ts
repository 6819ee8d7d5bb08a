import * as path from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { stackSettingsFrom, type StackConfigKey, type StackSettings } from '../../infra/stack/stack-settings';
import type { KubeObject } from '../../infra/synth/synthesize';
import { loadTenantsOrThrow } from '../../infra/tenant/load-tenants';
import type { Agreement, ConnectorSpec, Dataset, Resources, Tenant } from '../../infra/tenant/types';
import { Schedule } from '../../infra/tenant/rules/cron';
import { Quantity } from '../../infra/tenant/rules/quantity';

// Shared inputs of the infra tests: the seed tenants as the loader reads them, a stack, and
// variations of a tenant built by spreading the typed objects.

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const SEED_TENANTS_DIR = path.join(REPO_ROOT, 'tenants');

export const TEST_STACK: Readonly<Partial<Record<StackConfigKey, string>>> = {
  imageRegistry: 'registry.test/mysimbdp',
  imageRepository: 'ingest',
  imageTag: '1.2.3',
  stagingServer: 'nfs.test',
  stagingPath: '/exports/staging',
};

export function testSettings(overrides: Partial<Record<StackConfigKey, string>> = {}): StackSettings {
  const values: Partial<Record<StackConfigKey, string>> = { ...TEST_STACK, ...overrides };
  return stackSettingsFrom('test', (key) => values[key]);
}

export const TEST_IMAGE = 'registry.test/mysimbdp/ingest:1.2.3';

let seed: Tenant[] | undefined;
/** client_a and client_b from tenants/. */
export function seedTenants(): Tenant[] {
  seed ??= loadTenantsOrThrow(SEED_TENANTS_DIR);
  return seed;
}

export function seedTenant(client: 'client_a' | 'client_b'): Tenant {
  const tenant = seedTenants().find((t) => t.client === client);
  if (tenant === undefined) throw new Error(`seed tenant ${client} missing`);
  return tenant;
}

export function withAgreement(tenant: Tenant, patch: Partial<Agreement>): Tenant {
  return { ...tenant, agreement: { ...tenant.agreement, ...patch } };
}

export function withDataset(tenant: Tenant, patch: Partial<Dataset>, index = 0): Tenant {
  return { ...tenant, datasets: tenant.datasets.map((d, i) => (i === index ? { ...d, ...patch } : d)) };
}

/** A tenant under another client id, with its topics renamed accordingly. */
export function renamed(tenant: Tenant, client: string, dnsName: string): Tenant {
  return {
    ...tenant,
    client,
    dnsName,
    agreement: { ...tenant.agreement, client },
    datasets: tenant.datasets.map((d) => ({ ...d, topics: { main: `${client}.${d.name}`, raw: `${client}.${d.name}.raw`, dlq: `${client}.${d.name}.dlq` } })),
  };
}

export const JDBC_SINK: ConnectorSpec = {
  name: 'jdbc-sink',
  direction: 'sink',
  className: 'io.confluent.connect.jdbc.JdbcSinkConnector',
  tasksMax: 2,
  config: { 'connection.url': 'jdbc:postgresql://db.example:5432/a', 'auto.create': true },
  plugins: [{ name: 'jdbc', artifacts: [{ type: 'maven', group: 'io.confluent', artifact: 'kafka-connect-jdbc', version: '10.7.6' }] }],
};

/** Objects a construct makes, as plain JSON, in creation order. */
export function render(build: (chart: Chart) => void): KubeObject[] {
  const chart = Testing.chart();
  build(chart);
  return Testing.synth(chart) as KubeObject[];
}

export function byKind(objects: readonly KubeObject[], kind: string): KubeObject[] {
  return objects.filter((o) => o.kind === kind);
}

export function one(objects: readonly KubeObject[], kind: string, name?: string): KubeObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0] as KubeObject;
}

/** The message `fn` throws (fails the test when it does not throw), for exact-message assertions. */
export function thrownMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a throw');
}

/** The first container's env of a workload as name → value (secret refs as `secret:<name>/<key>`). */
export function podEnv(object: KubeObject): Record<string, string> {
  const spec = object.spec as { template?: { spec: PodLike }; jobTemplate?: { spec: { template: { spec: PodLike } } } };
  const pod = spec.jobTemplate?.spec.template.spec ?? spec.template?.spec;
  const env = pod?.containers[0]?.env ?? [];
  return Object.fromEntries(env.map((e) => [e.name, e.value ?? `secret:${e.valueFrom?.secretKeyRef?.name}/${e.valueFrom?.secretKeyRef?.key}`]));
}
interface PodLike {
  containers: { env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[] }[];
}

/** A parsed schedule for hand-built tenants and datasets (throws on a bad expression). */
export function schedule(expression: string, timeZone?: string): Schedule {
  const parsed = Schedule.parse(expression, timeZone);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

/** Parsed resources for hand-built props: `resources('100m', '64Mi', '200m', '128Mi')` (throws on a bad quantity). */
export function resources(requestCpu: string, requestMemory: string, limitCpu: string, limitMemory: string): Resources {
  return {
    requests: { cpu: Quantity.cpu(requestCpu), memory: Quantity.memory(requestMemory) },
    limits: { cpu: Quantity.cpu(limitCpu), memory: Quantity.memory(limitMemory) },
  };
}

/**
 * Names of the Secrets an object refers to, anywhere in it: env `secretKeyRef`s, `secret` volumes and projected sources,
 * Strimzi's `passwordSecret` (`secretName`), KEDA's `secretTargetRef`, Strimzi's build `pushSecret`.
 */
export function secretRefs(object: unknown): string[] {
  if (Array.isArray(object)) return object.flatMap(secretRefs);
  if (typeof object !== 'object' || object === null) return [];
  const refs: string[] = [];
  for (const [key, value] of Object.entries(object)) {
    if ((key === 'secretName' || key === 'pushSecret') && typeof value === 'string') refs.push(value);
    else if ((key === 'secretKeyRef' || key === 'secretTargetRef') && value !== null) refs.push(...[value].flat().map((r) => (r as { name: string }).name));
    // a projected volume's source: `secret: { name, items }`
    else if (key === 'secret' && typeof (value as { name?: unknown } | null)?.name === 'string') refs.push((value as { name: string }).name);
    else refs.push(...secretRefs(value));
  }
  return refs;
}
