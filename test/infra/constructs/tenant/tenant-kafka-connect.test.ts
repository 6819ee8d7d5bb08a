import { describe, expect, it } from 'vitest';
import { TenantKafkaConnect } from '../../../../infra/constructs/tenant/tenant-kafka-connect';
import type { ConnectorSpec } from '../../../../infra/tenant/types';
import { byKind, JDBC_SINK, one, render, seedTenant, testSettings, thrownMessage, withAgreement } from '../../fixtures';
import { manifestsErrors } from '../../manifest-validation';

const settings = testSettings();
const S3_SOURCE: ConnectorSpec = {
  name: 'files-in',
  direction: 'source',
  className: 'com.example.FileSource',
  tasksMax: 1,
  config: { topic: 'client_a.speed-tracking-data.raw' },
  plugins: [
    { name: 'jdbc', artifacts: [{ type: 'maven', group: 'io.confluent', artifact: 'kafka-connect-jdbc', version: '10.7.6' }] },
    { name: 'files', artifacts: [{ type: 'tgz', url: 'https://example.com/files.tgz', sha512sum: 'a'.repeat(128) }] },
  ],
};
const make = (connectors: ConnectorSpec[], pushSecret?: string) =>
  render((chart) => new TenantKafkaConnect(chart, 'c', { tenant: withAgreement(seedTenant('client_a'), { connectors }), settings, pushSecret }));

describe('TenantKafkaConnect', () => {
  const objects = make([JDBC_SINK, S3_SOURCE]);

  it('fits the Strimzi CRDs', () => {
    expect(manifestsErrors(objects)).toEqual([]);
  });

  it("builds one worker per tenant with the agreement's plugins, authenticated as the tenant", () => {
    const connect = one(objects, 'KafkaConnect');
    expect(connect.metadata).toMatchObject({ name: 'client-a', namespace: 'mysimbdp-client-a', annotations: { 'strimzi.io/use-connector-resources': 'true' } });
    expect(connect.spec).toMatchObject({
      replicas: 1,
      bootstrapServers: 'mysimbdp-kafka-bootstrap.mysimbdp-platform.svc:9092',
      groupId: 'client_a.connect',
      configStorageTopic: 'client_a.connect-configs',
      offsetStorageTopic: 'client_a.connect-offsets',
      statusStorageTopic: 'client_a.connect-status',
      authentication: { type: 'scram-sha-512', username: 'client-a', passwordSecret: { secretName: 'client-a-kafka', password: 'password' } },
      build: {
        output: { type: 'docker', image: 'registry.test/mysimbdp/ingest-connect-client-a:1.2.3' },
        plugins: [
          { name: 'jdbc', artifacts: [{ type: 'maven', group: 'io.confluent', artifact: 'kafka-connect-jdbc', version: '10.7.6' }] },
          { name: 'files', artifacts: [{ type: 'tgz', url: 'https://example.com/files.tgz', sha512sum: 'a'.repeat(128) }] },
        ],
      },
    });
  });

  it('pushes the built image with the push Secret when given one, and fits the CRD with it', () => {
    const withSecret = make([JDBC_SINK], 'registry-push.v2');
    expect(manifestsErrors(withSecret)).toEqual([]);
    expect((one(withSecret, 'KafkaConnect').spec as { build: { output: unknown } }).build.output).toEqual({
      type: 'docker',
      image: 'registry.test/mysimbdp/ingest-connect-client-a:1.2.3',
      pushSecret: 'registry-push.v2',
    });
    expect((one(objects, 'KafkaConnect').spec as { build: { output: object } }).build.output).not.toHaveProperty('pushSecret');
  });

  it("owns Connect's internal topics under the tenant prefix", () => {
    expect(byKind(objects, 'KafkaTopic').map((t) => [t.metadata.name, (t.spec as { topicName: string }).topicName])).toEqual([
      ['client-a.connect-configs', 'client_a.connect-configs'],
      ['client-a.connect-offsets', 'client_a.connect-offsets'],
      ['client-a.connect-status', 'client_a.connect-status'],
    ]);
  });

  it('makes a KafkaConnector per connector; a sink reads its dataset topic unless it says otherwise', () => {
    const connectors = byKind(objects, 'KafkaConnector');
    expect(connectors.map((c) => [c.metadata.name, c.metadata.labels?.['strimzi.io/cluster'], c.spec])).toEqual([
      [
        'client-a.jdbc-sink',
        'client-a',
        {
          class: 'io.confluent.connect.jdbc.JdbcSinkConnector',
          tasksMax: 2,
          config: { topics: 'client_a.speed-tracking-data', 'connection.url': 'jdbc:postgresql://db.example:5432/a', 'auto.create': true },
        },
      ],
      ['client-a.files-in', 'client-a', { class: 'com.example.FileSource', tasksMax: 1, config: { topic: 'client_a.speed-tracking-data.raw' } }],
    ]);
  });

  it.each([
    [[], 'tenant "client_a": TenantKafkaConnect needs at least one connector'],
    [[{ ...JDBC_SINK, dataset: 'nope' }], 'tenant "client_a": connector "jdbc-sink" names unknown dataset "nope"'],
    [
      [JDBC_SINK, { ...S3_SOURCE, plugins: [{ name: 'jdbc', artifacts: [{ type: 'maven' as const, group: 'io.confluent', artifact: 'kafka-connect-jdbc', version: '10.8.0' }] }] }],
      'tenant "client_a": connector plugin "jdbc" is defined twice with different artifacts',
    ],
  ])('refuses %#', async (connectors, message) => {
    expect(thrownMessage(() => make(connectors))).toBe(message);
  });

  it.each(['Registry_Push', '-push', 'a'.repeat(254), ''])('refuses the push Secret name %j', async (name) => {
    expect(thrownMessage(() => make([JDBC_SINK], name))).toBe(
      `TenantKafkaConnect: pushSecret must be a Secret name (DNS subdomain: a-z, 0-9, '-', '.', at most 253 characters), got "${name}"`,
    );
  });

  it('refuses connectors without a dataset', () => {
    const tenant = { ...withAgreement(seedTenant('client_a'), { connectors: [JDBC_SINK] }), datasets: [] };
    expect(thrownMessage(() => render((chart) => new TenantKafkaConnect(chart, 'c', { tenant, settings })))).toBe('tenant "client_a": connectors need a dataset');
  });
});
