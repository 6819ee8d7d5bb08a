import { describe, expect, it } from 'vitest';
import { ProvisionJob, provisionInputsHash } from '../../../../infra/constructs/tenant/provision-job';
import { one, podEnv, render, schedule, seedTenant, testSettings, thrownMessage, withDataset } from '../../fixtures';
import { podSpecOf } from '../../manifest-validation';

describe('ProvisionJob', () => {
  it('runs provision over the mounted tenant config with a replication factor from the stack', () => {
    const tenant = seedTenant('client_b');
    const job = one(render((chart) => new ProvisionJob(chart, 'p', { tenant, settings: testSettings({ cassandraNodes: '2' }) })), 'Job');
    expect(job.metadata).toMatchObject({ name: 'client-b-provision', namespace: 'mysimbdp-client-b' });
    expect((job.spec as { backoffLimit: number }).backoffLimit).toBe(6);
    const pod = podSpecOf(job)!;
    const c = pod.containers[0]!;
    expect((c as unknown as { args: string[] }).args).toEqual(['provision', '--tenants', '/etc/mysimbdp/tenants']);
    expect(podEnv(job)).toMatchObject({ CLIENT_ID: 'client_b', CASSANDRA_REPLICATION_FACTOR: '2', CASSANDRA_LOCAL_DC: 'dc1' });
    expect((pod as unknown as { restartPolicy: string }).restartPolicy).toBe('Never');
    expect((c as unknown as { volumeMounts: { mountPath: string }[] }).volumeMounts.map((m) => m.mountPath)).toEqual(['/tmp', '/etc/mysimbdp/tenants/client_b']);
  });

  it('re-runs when the schema changes: the inputs hash is on the pod template', () => {
    const tenant = seedTenant('client_a');
    const changed = withDataset(tenant, { table: 'other' });
    expect(provisionInputsHash(changed)).not.toBe(provisionInputsHash(tenant));
    expect(provisionInputsHash(withDataset(tenant, { schedule: schedule('1 * * * *') }))).toBe(provisionInputsHash(tenant));
    const job = one(render((chart) => new ProvisionJob(chart, 'p', { tenant, settings: testSettings() })), 'Job');
    expect((job.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations).toEqual({
      'mysimbdp.io/provision-inputs': provisionInputsHash(tenant),
    });
  });

  it('refuses a negative backoffLimit', () => {
    expect(thrownMessage(() => render((chart) => new ProvisionJob(chart, 'p', { tenant: seedTenant('client_a'), settings: testSettings(), backoffLimit: -1 })))).toBe(
      'ProvisionJob: backoffLimit must be an integer >= 0, got -1',
    );
  });
});
