import { describe, expect, it } from 'vitest';
import { CassandraCluster, type CassandraClusterProps } from '../../../../infra/constructs/platform/cassandra-cluster';
import { Quantity } from '../../../../infra/tenant/rules/quantity';
import { one, render, resources as parsed, thrownMessage } from '../../fixtures';
import { manifestsErrors } from '../../manifest-validation';

const BASE: CassandraClusterProps = { namespace: 'mysimbdp-platform', size: 3, storageClass: 'fast', labels: { 'app.kubernetes.io/part-of': 'mysimbdp' } };
const build = (props: Partial<CassandraClusterProps> = {}) => render((chart) => new CassandraCluster(chart, 'cassandra', { ...BASE, ...props }));

describe('CassandraCluster', () => {
  it('makes a CassandraDatacenter 5.0 that fits the cass-operator CRD', async () => {
    const objects = build();
    expect(manifestsErrors(objects)).toEqual([]);
    const dc = one(objects, 'CassandraDatacenter');
    expect(dc.apiVersion).toBe('cassandra.datastax.com/v1beta1');
    expect(dc.metadata).toEqual({ name: 'dc1', namespace: 'mysimbdp-platform', labels: { 'app.kubernetes.io/part-of': 'mysimbdp' } });
    expect(dc.spec).toEqual({
      clusterName: 'mysimbdp',
      serverType: 'cassandra',
      serverVersion: '5.0.5',
      size: 3,
      storageConfig: { cassandraDataVolumeClaimSpec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '10Gi' } } } },
      resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
      users: [{ secretName: 'mysimbdp-cassandra-platform', superuser: true }],
      additionalLabels: { 'app.kubernetes.io/part-of': 'mysimbdp' },
      readOnlyRootFilesystem: true,
    });
  });

  it('takes names, version, size and resources from props', async () => {
    const resources = parsed('2', '8Gi', '4', '8Gi');
    const dc = one(build({ clusterName: 'core', datacenterName: 'eu1', serverVersion: '5.0.2', storageSize: Quantity.memory('100Gi'), resources, platformRoleSecret: 'platform' }), 'CassandraDatacenter');
    expect(dc.metadata.name).toBe('eu1');
    expect(dc.spec).toMatchObject({
      clusterName: 'core',
      serverVersion: '5.0.2',
      resources: { requests: { cpu: '2', memory: '8Gi' }, limits: { cpu: '4', memory: '8Gi' } },
      users: [{ secretName: 'platform', superuser: true }],
      storageConfig: { cassandraDataVolumeClaimSpec: { resources: { requests: { storage: '100Gi' } } } },
    });
  });

  it('rejects bad props with messages naming field and value', async () => {
    expect(thrownMessage(() => build({ size: 0 }))).toBe('CassandraCluster: size must be an integer >= 1, got 0');
    expect(thrownMessage(() => build({ serverVersion: '4.1.5' }))).toBe('CassandraCluster: serverVersion must be a Cassandra 5.0.x version, got "4.1.5"');
    expect(thrownMessage(() => build({ clusterName: 'Core' }))).toBe(`CassandraCluster: clusterName must be a DNS label (a-z, 0-9, '-', at most 63), got "Core"`);
    expect(thrownMessage(() => build({ datacenterName: 'dc_1' }))).toBe(`CassandraCluster: datacenterName must be a DNS label (a-z, 0-9, '-', at most 63), got "dc_1"`);
    expect(thrownMessage(() => build({ namespace: 'A' }))).toBe(`CassandraCluster: namespace must be a DNS label (a-z, 0-9, '-', at most 63), got "A"`);
    expect(thrownMessage(() => build({ platformRoleSecret: ' ' }))).toBe('CassandraCluster: platformRoleSecret must not be empty');
    expect(thrownMessage(() => build({ resources: parsed('1', '8Gi', '2', '4Gi') }))).toBe('CassandraCluster: resources.requests.memory (8Gi) must not exceed resources.limits.memory (4Gi)');
  });
});
