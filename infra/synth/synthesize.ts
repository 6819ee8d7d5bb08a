import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, App, type Chart } from 'cdk8s';
import type { StackSettings } from '../stack/stack-settings';
import type { Tenant } from '../tenant/types';
import { PlatformChart } from '../constructs/platform/platform-chart';
import { TenantChart } from '../constructs/tenant/tenant-chart';
import { manifestYaml } from './manifest-yaml';
import { assertDistinctTenantNames } from './name-collisions';

/** A synthesized Kubernetes object as plain JSON. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

export interface Manifests {
  readonly platform: readonly KubeObject[];
  /** Keyed by client id, in client order. */
  readonly tenants: ReadonlyMap<string, readonly KubeObject[]>;
}

// Objects a later one depends on come first (namespace before what lives in it, CRs after
// their secrets), so `kubectl apply -f` of one file works in order; ties by namespace and name.
const KIND_ORDER = [
  'Namespace',
  'ResourceQuota',
  'LimitRange',
  'NetworkPolicy',
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'ClusterRole',
  'ClusterRoleBinding',
  'Secret',
  'ConfigMap',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Service',
];
const kindRank = (kind: string): number => {
  const rank = KIND_ORDER.indexOf(kind);
  return rank === -1 ? KIND_ORDER.length : rank;
};

/** Deterministic order: kind rank, then kind, namespace, name. */
export function sortObjects(objects: readonly KubeObject[]): KubeObject[] {
  const key = (o: KubeObject) => [kindRank(o.kind), o.kind, o.metadata.namespace ?? '', o.metadata.name] as const;
  return [...objects].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i += 1) {
      const x = ka[i] as string | number;
      const y = kb[i] as string | number;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}

/**
 * The chart's objects as JSON. Chart.toJson() would first infer dependencies and run validations
 * across the whole App and order by dependency; no construct here declares either, and
 * sortObjects fixes the order, so rendering each ApiObject directly gives the same objects for
 * about half the CPU (test/infra/synth/synthesize.test.ts checks the equality).
 */
export function chartObjects(chart: Chart): KubeObject[] {
  return chart.node
    .findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject)
    .map((o) => o.toJson() as KubeObject);
}

/** Every manifest of a stack: the platform's, and each tenant's. Pure: writes nothing. */
export function synthesize(tenants: readonly Tenant[], settings: StackSettings): Manifests {
  assertDistinctTenantNames(tenants, settings);
  // One App per chart: Chart.toJson() prepares and validates its whole App, so charts sharing one
  // App would make synthesis quadratic in the number of tenants (1,000 tenants: ~50 s instead of ~2 s).
  const platform = chartObjects(new PlatformChart(new App(), 'platform', { settings, tenants }));
  const byClient = new Map<string, readonly KubeObject[]>();
  for (const tenant of [...tenants].sort((a, b) => (a.client < b.client ? -1 : a.client > b.client ? 1 : 0))) {
    byClient.set(tenant.client, sortObjects(chartObjects(new TenantChart(new App(), `tenant-${tenant.dnsName}`, { tenant, settings }))));
  }
  return { platform: sortObjects(platform), tenants: byClient };
}

/** Multi-document YAML of objects, in the given order. */
export function toYaml(objects: readonly KubeObject[]): string {
  return objects.map((o) => manifestYaml(o)).join('---\n');
}

/**
 * Writes `platform.yaml` and `tenant-<client>.yaml` under outDir and removes stale
 * `tenant-*.yaml` files, so the folder always equals the manifests. Returns the files written.
 */
export function writeManifests(manifests: Manifests, outDir: string): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  const files = new Map<string, string>([['platform.yaml', toYaml(manifests.platform)]]);
  for (const [client, objects] of manifests.tenants) files.set(`tenant-${client}.yaml`, toYaml(objects));
  for (const name of fs.readdirSync(outDir)) {
    if (/^tenant-.*\.yaml$/.test(name) && !files.has(name)) fs.rmSync(path.join(outDir, name));
  }
  const written: string[] = [];
  for (const [name, text] of files) {
    const file = path.join(outDir, name);
    fs.writeFileSync(file, text);
    written.push(file);
  }
  return written;
}
