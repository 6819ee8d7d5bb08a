import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { App } from 'cdk8s';
import { PlatformChart } from '../../../infra/constructs/platform/platform-chart';
import { TenantChart } from '../../../infra/constructs/tenant/tenant-chart';
import { chartObjects, sortObjects, synthesize, toYaml, writeManifests, type KubeObject } from '../../../infra/synth/synthesize';
import type { Tenant } from '../../../infra/tenant/types';
import { JDBC_SINK, renamed, seedTenant, seedTenants, TEST_IMAGE, testSettings, withAgreement, withDataset, schedule } from '../fixtures';
import { manifestsErrors, podSpecOf, policyViolations, readManifestFile } from '../manifest-validation';

// The whole stack for the seed tenants plus a tenant using every option (connectors, encryption,
// several replicas), with KEDA on: every object must fit its schema and the platform's policies.

const settings = testSettings({ installKeda: 'true' });
const everything: Tenant = withAgreement(renamed(seedTenant('client_a'), 'client_c', 'client-c'), {
  connectors: [JDBC_SINK],
  encryption: true,
  stream: { ...seedTenant('client_a').agreement.stream, minReplicas: 2, maxReplicas: 4 },
});
const tenants = [...seedTenants(), everything];
const manifests = synthesize(tenants, settings);
const tenantObjects = [...manifests.tenants.values()].flat();
const all = [...manifests.platform, ...tenantObjects];

type Acl = { resource: { type: string; name: string; patternType: string }; operations: string[] };

describe('synthesize', () => {
  it('renders each chart exactly as cdk8s Chart.toJson() does (objects, not order)', () => {
    const settings = testSettings({ installKeda: 'true', installPrometheus: 'true' });
    const tenant = withAgreement(seedTenant('client_a'), { connectors: [JDBC_SINK], encryption: true });
    const charts = [
      () => new PlatformChart(new App(), 'platform', { settings, tenants: seedTenants() }),
      () => new TenantChart(new App(), 'tenant', { tenant, settings }),
    ];
    for (const chart of charts) expect(sortObjects(chartObjects(chart()))).toEqual(sortObjects(chart().toJson() as KubeObject[]));
  });

  it('makes one manifest set per tenant, keyed by client id in order', () => {
    expect([...manifests.tenants.keys()]).toEqual(['client_a', 'client_b', 'client_c']);
    expect(manifests.platform.length).toBeGreaterThan(0);
  });

  it('every object fits the Kubernetes OpenAPI schema or its CRD schema', () => {
    expect(manifestsErrors(all)).toEqual([]);
  });

  it('every container: cpu+memory requests and limits, non-root, read-only root, no escalation, the stack image', () => {
    expect(policyViolations(all, TEST_IMAGE)).toEqual([]);
    const pods = tenantObjects.map(podSpecOf).filter((p) => p !== undefined);
    expect(pods.length).toBe(3 * 4); // per tenant: provision Job, batch CronJob, stream and sink Deployments
  });

  it('no image anywhere is untagged or latest', () => {
    const images = JSON.stringify(all).match(/"image":"[^"]*"/g) ?? [];
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image).toMatch(/:[\w.-]+"$/);
    expect(images.filter((i) => i.endsWith(':latest"'))).toEqual([]);
  });

  it('every tenant object carries mysimbdp.io/tenant: <client>, and lives in its namespace or the platform one', () => {
    for (const [client, objects] of manifests.tenants) {
      const tenant = tenants.find((t) => t.client === client)!;
      for (const o of objects) {
        expect(o.metadata.labels?.['mysimbdp.io/tenant'], `${o.kind} ${o.metadata.name}`).toBe(client);
        const ns = o.metadata.namespace;
        if (['KafkaTopic', 'KafkaUser'].includes(o.kind)) expect(ns).toBe('mysimbdp-platform');
        else if (['Namespace', 'PersistentVolume'].includes(o.kind)) expect(ns).toBeUndefined();
        // The copy of the tenant's files that the platform's API and monitor mount, and the provision Job, which runs as the platform.
        else if (ns === 'mysimbdp-platform') expect([`ConfigMap/${tenant.dnsName}-tenant`, `Job/${tenant.dnsName}-provision`]).toContain(`${o.kind}/${o.metadata.name}`);
        else expect(ns, `${o.kind} ${o.metadata.name}`).toBe(`mysimbdp-${tenant.dnsName}`);
      }
    }
  });

  it('each CronJob carries its dataset schedule and resources', () => {
    for (const tenant of tenants) {
      for (const dataset of tenant.datasets) {
        const cron = manifests.tenants.get(tenant.client)!.find((o) => o.kind === 'CronJob' && o.metadata.name === `${tenant.dnsName}-${dataset.name}-batch`)!;
        const spec = cron.spec as { schedule: string; concurrencyPolicy: string };
        expect(spec.schedule).toBe(dataset.schedule.expression);
        expect(spec.concurrencyPolicy).toBe('Forbid');
        const container = podSpecOf(cron)!.containers[0]!;
        expect(container.resources).toEqual(JSON.parse(JSON.stringify(dataset.resources)));
      }
    }
    const schedules = tenantObjects.filter((o) => o.kind === 'CronJob').map((o) => (o.spec as { schedule: string }).schedule);
    expect(schedules).toEqual(['0 * * * *', '*/1 * * * *', '0 * * * *']);
  });

  it('topics: <client>.<dataset>, .raw, .dlq with retention.ms = days × 86,400,000', () => {
    const topics = manifests.tenants.get('client_b')!.filter((o) => o.kind === 'KafkaTopic');
    expect(topics.map((t) => [t.metadata.name, (t.spec as { topicName: string }).topicName])).toEqual([
      ['client-b.amazon-product-review-data', 'client_b.amazon-product-review-data'],
      ['client-b.amazon-product-review-data.dlq', 'client_b.amazon-product-review-data.dlq'],
      ['client-b.amazon-product-review-data.raw', 'client_b.amazon-product-review-data.raw'],
    ]);
    for (const t of topics) {
      expect((t.spec as { config: Record<string, unknown> }).config['retention.ms']).toBe(3 * 86_400_000);
      expect(t.metadata.labels?.['strimzi.io/cluster']).toBe('mysimbdp');
    }
    const a = manifests.tenants.get('client_a')!.find((o) => o.kind === 'KafkaTopic')!;
    expect((a.spec as { config: Record<string, unknown>; partitions: number; replicas: number })).toMatchObject({ partitions: 3, replicas: 3, config: { 'retention.ms': 604_800_000 } });
  });

  it("ACLs are prefix patterns reaching only the tenant's topics and groups", () => {
    for (const tenant of tenants) {
      const user = manifests.tenants.get(tenant.client)!.find((o) => o.kind === 'KafkaUser')!;
      const acls = (user.spec as { authorization: { acls: Acl[] } }).authorization.acls;
      for (const acl of acls) {
        expect(acl.resource.patternType).toBe('prefix');
        const allowed = acl.resource.type === 'group' ? [`${tenant.client}.`, `connect-${tenant.dnsName}.`] : [`${tenant.client}.`];
        expect(allowed).toContain(acl.resource.name);
        expect(acl.operations).not.toContain('All');
      }
      // No other tenant's topic falls under any of this tenant's prefixes.
      const others = tenants.filter((t) => t !== tenant).flatMap((t) => t.datasets.flatMap((d) => [d.topics.main, d.topics.raw, d.topics.dlq]));
      for (const topic of others) expect(acls.some((acl) => topic.startsWith(acl.resource.name))).toBe(false);
    }
  });

  it('KEDA scales each sink when the stack turns it on, and not otherwise', () => {
    expect(tenantObjects.filter((o) => o.kind === 'ScaledObject').length).toBe(3);
    const off = synthesize(seedTenants(), testSettings());
    expect([...off.tenants.values()].flat().filter((o) => o.kind === 'ScaledObject')).toEqual([]);
  });

  it('makes Kafka Connect only for tenants with connectors', () => {
    const connects = tenantObjects.filter((o) => o.kind === 'KafkaConnect');
    expect(connects.map((o) => o.metadata.labels?.['mysimbdp.io/tenant'])).toEqual(['client_c']);
  });

  it('is deterministic and independent of tenant order', () => {
    const again = synthesize([...tenants].reverse(), settings);
    expect(toYaml(again.platform)).toBe(toYaml(manifests.platform));
    for (const [client, objects] of manifests.tenants) expect(toYaml(again.tenants.get(client)!)).toBe(toYaml(objects));
  });

  it("changing one tenant's dataset changes only that tenant's manifests", () => {
    const changed = synthesize([withDataset(seedTenant('client_a'), { schedule: schedule('5 * * * *') }), seedTenant('client_b')], settings);
    const before = synthesize(seedTenants(), settings);
    expect(toYaml(changed.tenants.get('client_b')!)).toBe(toYaml(before.tenants.get('client_b')!));
    expect(toYaml(changed.tenants.get('client_a')!)).not.toBe(toYaml(before.tenants.get('client_a')!));
  });
});

describe('writeManifests', () => {
  it('writes platform.yaml and tenant-<client>.yaml, removes stale tenant files, and round-trips', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
    fs.writeFileSync(path.join(out, 'tenant-gone.yaml'), 'stale');
    fs.writeFileSync(path.join(out, 'notes.txt'), 'kept');
    const files = writeManifests(manifests, out);
    expect(files.map((f) => path.basename(f))).toEqual(['platform.yaml', 'tenant-client_a.yaml', 'tenant-client_b.yaml', 'tenant-client_c.yaml']);
    expect(fs.readdirSync(out).sort()).toEqual(['notes.txt', 'platform.yaml', 'tenant-client_a.yaml', 'tenant-client_b.yaml', 'tenant-client_c.yaml']);
    const read: KubeObject[] = readManifestFile(path.join(out, 'tenant-client_a.yaml'));
    expect(read).toEqual(JSON.parse(JSON.stringify(manifests.tenants.get('client_a'))));
  });
});
