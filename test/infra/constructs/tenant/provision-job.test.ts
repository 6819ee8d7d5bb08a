import { describe, expect, it } from 'vitest';
import { ProvisionJob, provisionInputsHash } from '../../../../infra/constructs/tenant/provision-job';
import { one, podEnv, render, schedule, secretRefs, seedTenant, testSettings, thrownMessage, withAgreement, withDataset } from '../../fixtures';
import { manifestsErrors, podSpecOf, policyViolations } from '../../manifest-validation';

interface JobPod {
  containers: { args: string[]; env: unknown[]; volumeMounts: unknown[] }[];
  volumes: { name: string }[];
}

describe('ProvisionJob', () => {
  it("runs provision in the platform namespace as the platform role, with the tenant files and the tenant's and console role's credentials files mounted", async () => {
    const tenant = seedTenant('client_b');
    const objects = render((chart) => new ProvisionJob(chart, 'p', { tenant, settings: testSettings({ cassandraNodes: '2' }) }));
    await expect(manifestsErrors(objects)).toEqual([]);
    await expect(policyViolations(objects, 'registry.test/mysimbdp/ingest:1.2.3')).toEqual([]);
    const job = one(objects, 'Job');
    await expect(job.metadata).toMatchObject({ name: 'client-b-provision', namespace: 'mysimbdp-platform', labels: { 'mysimbdp.io/tenant': 'client_b', 'app.kubernetes.io/component': 'provision' } });
    await expect((job.spec as { backoffLimit: number }).backoffLimit).toBe(6);
    const pod = podSpecOf(job) as unknown as JobPod;
    const c = pod.containers[0]!;
    await expect(c.args).toEqual(['provision', '--tenants', '/etc/mysimbdp/tenants', '--credentials-dir', '/etc/mysimbdp/credentials', '--no-kafka']);
    await expect(podEnv(job)).toEqual({
      CASSANDRA_CONTACT_POINTS: 'mysimbdp-dc1-service.mysimbdp-platform.svc:9042',
      CASSANDRA_LOCAL_DC: 'dc1',
      CASSANDRA_USERNAME: 'secret:mysimbdp-cassandra-platform/username',
      CASSANDRA_PASSWORD: 'secret:mysimbdp-cassandra-platform/password',
      CASSANDRA_REPLICATION_FACTOR: '2',
    });
    await expect(JSON.stringify(c.env)).not.toContain('"optional":true');
    await expect(pod).toMatchObject({ restartPolicy: 'Never', serviceAccountName: 'default', automountServiceAccountToken: false });
    await expect(c.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'tenant', mountPath: '/etc/mysimbdp/tenants', readOnly: true },
      { name: 'credentials', mountPath: '/etc/mysimbdp/credentials', readOnly: true },
    ]);
    const volumes = Object.fromEntries(pod.volumes.map((v) => [v.name, v]));
    // the tenant's files from their platform-namespace copy, laid out as TENANTS_DIR/<client>/…
    await expect(volumes.tenant).toEqual({
      name: 'tenant',
      projected: { sources: [{ configMap: { name: 'client-b-tenant', items: [{ key: 'agreement.json', path: 'client_b/agreement.json' }, { key: 'dataset.json', path: 'client_b/dataset.json' }] } }] },
    });
    // one folder (CREDENTIALS_DIR): the tenant's file and the console role's, each the only key taken from its Secret
    await expect(volumes.credentials).toEqual({
      name: 'credentials',
      projected: {
        defaultMode: 0o440,
        sources: [
          { secret: { name: 'client-b-credentials', items: [{ key: 'client_b.json', path: 'client_b.json' }], optional: false } },
          { secret: { name: 'mysimbdp-cassandra-console', items: [{ key: 'mysimbdp_console.json', path: 'mysimbdp_console.json' }], optional: false } },
        ],
      },
    });
  });

  it("refers to no Secret but the platform role, the console role's and the tenant credentials, also for an encrypting tenant", async () => {
    const tenant = withAgreement(seedTenant('client_a'), { encryption: true });
    const job = one(render((chart) => new ProvisionJob(chart, 'p', { tenant, settings: testSettings() })), 'Job');
    await expect(new Set(secretRefs(job))).toEqual(new Set(['mysimbdp-cassandra-platform', 'client-a-credentials', 'mysimbdp-cassandra-console']));
  });

  it('re-runs when the schema changes: the inputs hash is on the pod template', async () => {
    const tenant = seedTenant('client_a');
    const changed = withDataset(tenant, { table: 'other' });
    await expect(provisionInputsHash(changed)).not.toBe(provisionInputsHash(tenant));
    await expect(provisionInputsHash(withDataset(tenant, { schedule: schedule('1 * * * *') }))).toBe(provisionInputsHash(tenant));
    const job = one(render((chart) => new ProvisionJob(chart, 'p', { tenant, settings: testSettings() })), 'Job');
    await expect((job.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations).toEqual({
      'mysimbdp.io/provision-inputs': provisionInputsHash(tenant),
    });
  });

  it('refuses a negative backoffLimit', async () => {
    await expect(thrownMessage(() => render((chart) => new ProvisionJob(chart, 'p', { tenant: seedTenant('client_a'), settings: testSettings(), backoffLimit: -1 })))).toBe(
      'ProvisionJob: backoffLimit must be an integer >= 0, got -1',
    );
  });
});
