import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../infra/synth/synthesize';
import { manifestErrors, policyViolations } from './manifest-validation';

// The helper must fail what the cluster would refuse, or the green schema tests mean nothing.

const obj = (o: Record<string, unknown>) => o as unknown as KubeObject;

describe('manifestErrors', () => {
  it('checks custom resources against their CRD, unknown fields included', () => {
    expect(manifestErrors(obj({ apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic', metadata: { name: 'a.b' }, spec: { partitions: 'x', replicaz: 1 } }))).toEqual([
      'KafkaTopic /a.b: /spec must NOT have additional properties {"additionalProperty":"replicaz"}',
      'KafkaTopic /a.b: /spec/partitions must be integer {"type":"integer"}',
    ]);
    expect(manifestErrors(obj({ apiVersion: 'cassandra.datastax.com/v1beta1', kind: 'CassandraDatacenter', metadata: { name: 'dc1' }, spec: { size: 1 } }))).toEqual([
      'CassandraDatacenter /dc1: /spec must have required property \'clusterName\' {"missingProperty":"clusterName"}',
      'CassandraDatacenter /dc1: /spec must have required property \'serverType\' {"missingProperty":"serverType"}',
      'CassandraDatacenter /dc1: /spec must have required property \'serverVersion\' {"missingProperty":"serverVersion"}',
      'CassandraDatacenter /dc1: /spec must have required property \'storageConfig\' {"missingProperty":"storageConfig"}',
    ]);
  });

  it('checks built-in kinds against the Kubernetes OpenAPI schema, names and labels', () => {
    expect(manifestErrors(obj({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'X_y', labels: { 'mysimbdp.io/tenant': 'client_a!' } }, spec: { schedule: 5 } }))).toEqual([
      'CronJob /X_y: metadata.name is not a DNS subdomain',
      'CronJob /X_y: label mysimbdp.io/tenant value "client_a!" is invalid',
      'CronJob /X_y: data/spec must have required property jobTemplate, data/spec/schedule must be string',
    ]);
  });

  it('checks KEDA resources with their models and refuses unknown kinds', () => {
    expect(manifestErrors(obj({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'x' }, spec: {} }))).toEqual([
      'ScaledObject /x: data/spec must have required property scaleTargetRef, data/spec must have required property triggers',
    ]);
    expect(manifestErrors(obj({ apiVersion: 'example.com/v1', kind: 'Foo', metadata: { name: 'x' } }))).toEqual(['Foo /x: no schema known for example.com/v1 Foo']);
  });
});

describe('policyViolations', () => {
  it('names every container that breaks the policy', () => {
    const deployment = obj({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'n' },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'r/i:latest', resources: { requests: { cpu: '1' } }, securityContext: { runAsNonRoot: true } }] } } },
    });
    expect(policyViolations([deployment], 'r/i:1')).toEqual([
      'Deployment n/d container c: no resources.requests.memory',
      'Deployment n/d container c: no resources.limits.cpu',
      'Deployment n/d container c: no resources.limits.memory',
      'Deployment n/d container c: readOnlyRootFilesystem is not true',
      'Deployment n/d container c: allowPrivilegeEscalation is not false',
      'Deployment n/d container c: capabilities do not drop ALL',
      'Deployment n/d container c: image r/i:latest is not r/i:1',
      'Deployment n/d container c: image r/i:latest has no pinned tag',
    ]);
  });
});
