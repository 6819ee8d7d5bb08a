import { beforeAll, describe, expect, it } from 'vitest';
import { TenantKafkaConnect } from '../../../../infra/constructs/tenant/tenant-kafka-connect';
import type { KubeObject } from '../../../../infra/synth/synthesize';
import type { ConnectorSpec } from '../../../../infra/tenant/types';
import { ensureConnect, validateConnectorConfig } from '../../../../ingest/src/engines';
import { byKind, render, seedTenant, testSettings, withAgreement } from '../../fixtures';

// A connector config is only right if Kafka Connect accepts it: the KafkaConnector the construct
// generates is turned into the config Strimzi would PUT (name, connector.class, tasks.max, config)
// and checked by a real worker's `PUT /connector-plugins/{class}/config/validate`. The FileStream
// connectors are on Maven Central (org.apache.kafka:connect-file) and in the local worker.

const FILE_SINK: ConnectorSpec = {
  name: 'file-out',
  direction: 'sink',
  className: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
  tasksMax: 1,
  config: { file: '/tmp/tenant-kafka-connect-int.out' },
  plugins: [{ name: 'connect-file', artifacts: [{ type: 'maven', group: 'org.apache.kafka', artifact: 'connect-file', version: '3.9.1' }] }],
};

/** The connector config Strimzi's operator sends to the worker for a KafkaConnector. */
function strimziConfig(connector: KubeObject): Record<string, string> {
  const spec = connector.spec as { class: string; tasksMax: number; config: Record<string, string | number | boolean> };
  return {
    ...Object.fromEntries(Object.entries(spec.config).map(([k, v]) => [k, String(v)])),
    name: connector.metadata.name,
    'tasks.max': String(spec.tasksMax),
  };
}

const connectorOf = (connector: ConnectorSpec): KubeObject => {
  const tenant = withAgreement(seedTenant('client_a'), { connectors: [connector] });
  const [generated] = byKind(render((chart) => new TenantKafkaConnect(chart, 'c', { tenant, settings: testSettings() })), 'KafkaConnector');
  return generated!;
};

describe('TenantKafkaConnect against a real Kafka Connect worker', () => {
  beforeAll(async () => {
    await ensureConnect();
  });

  it('generates a sink config the worker accepts (topics defaulted to the dataset topic)', async () => {
    const connector = connectorOf(FILE_SINK);
    expect(strimziConfig(connector).topics).toBe('client_a.speed-tracking-data');
    await expect(validateConnectorConfig(FILE_SINK.className, strimziConfig(connector))).resolves.toEqual({ errorCount: 0, errors: [] });
  });

  it("passes the worker's verdict on a tenant's wrong config through", async () => {
    const connector = connectorOf({ ...FILE_SINK, config: { ...FILE_SINK.config, topics: 'client_a.x', 'topics.regex': 'client_a\\..*' } });
    const both = 'topics and topics.regex are mutually exclusive options, but both are set.';
    await expect(validateConnectorConfig(FILE_SINK.className, strimziConfig(connector))).resolves.toEqual({
      errorCount: 2,
      errors: [
        { name: 'topics', errors: [both] },
        { name: 'topics.regex', errors: [both] },
      ],
    });
  });
});
