import { describe, expect, it } from 'vitest';
import { KafkaCluster, type KafkaClusterProps } from '../../../../infra/constructs/platform/kafka-cluster';
import { byKind, one, render, resources as parsed, thrownMessage } from '../../fixtures';
import { manifestsErrors } from '../../manifest-validation';

const BASE: KafkaClusterProps = { namespace: 'mysimbdp-platform', brokerReplicas: 3, storageClass: 'fast' };
const build = (props: Partial<KafkaClusterProps> = {}) => render((chart) => new KafkaCluster(chart, 'kafka', { ...BASE, ...props }));

describe('KafkaCluster', () => {
  it('makes a KRaft Kafka with one combined node pool that fits the Strimzi v1 CRDs', async () => {
    const objects = build();
    expect(manifestsErrors(objects)).toEqual([]);
    expect(objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual(['kafka.strimzi.io/v1 Kafka mysimbdp', 'kafka.strimzi.io/v1 KafkaNodePool dual']);
    const pool = one(objects, 'KafkaNodePool');
    expect(pool.metadata.labels).toEqual({ 'strimzi.io/cluster': 'mysimbdp' });
    expect(pool.spec).toEqual({
      replicas: 3,
      roles: ['controller', 'broker'],
      storage: { type: 'persistent-claim', size: '10Gi', class: 'fast', deleteClaim: false },
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } },
    });
  });

  it('authenticates every listener with SCRAM-SHA-512 and authorizes with simple ACLs', async () => {
    const kafka = one(build(), 'Kafka').spec as Record<string, any>;
    expect(kafka.kafka.listeners).toEqual([{ name: 'scram', port: 9092, type: 'internal', tls: false, authentication: { type: 'scram-sha-512' } }]);
    expect(kafka.kafka.authorization).toEqual({ type: 'simple' });
    expect(kafka.entityOperator).toEqual({ topicOperator: {}, userOperator: {} });
    expect(kafka.kafkaExporter).toEqual({ groupRegex: '.*', topicRegex: '.*' });
    expect(kafka.kafka.config).toMatchObject({ 'default.replication.factor': 3, 'min.insync.replicas': 2, 'auto.create.topics.enable': false });
  });

  it('adds a TLS listener, dedicated controllers, a version and a watched namespace on request', async () => {
    const objects = build({ tlsListener: true, controllerReplicas: 3, version: '4.1.0', watchedNamespace: 'elsewhere', brokerReplicas: 1 });
    expect(manifestsErrors(objects)).toEqual([]);
    const kafka = one(objects, 'Kafka').spec as Record<string, any>;
    expect(kafka.kafka.version).toBe('4.1.0');
    expect(kafka.kafka.listeners[1]).toEqual({ name: 'tls', port: 9093, type: 'internal', tls: true, authentication: { type: 'scram-sha-512' } });
    expect(kafka.entityOperator).toEqual({ topicOperator: { watchedNamespace: 'elsewhere' }, userOperator: { watchedNamespace: 'elsewhere' } });
    // One broker: replication settings shrink to what the cluster can hold.
    expect(kafka.kafka.config).toMatchObject({ 'default.replication.factor': 1, 'min.insync.replicas': 1 });
    expect(byKind(objects, 'KafkaNodePool').map((p) => [p.metadata.name, (p.spec as any).replicas, (p.spec as any).roles])).toEqual([
      ['controllers', 3, ['controller']],
      ['brokers', 1, ['broker']],
    ]);
  });

  it('rejects bad props with messages naming field and value', async () => {
    expect(thrownMessage(() => build({ brokerReplicas: 0 }))).toBe('KafkaCluster: brokerReplicas must be an integer >= 1, got 0');
    expect(thrownMessage(() => build({ controllerReplicas: -1 }))).toBe('KafkaCluster: controllerReplicas must be an integer >= 0, got -1');
    expect(thrownMessage(() => build({ controllerReplicas: 2 }))).toBe('KafkaCluster: controllerReplicas must be odd for a KRaft quorum, got 2');
    expect(thrownMessage(() => build({ name: 'My_Kafka' }))).toBe(`KafkaCluster: name must be a DNS label (a-z, 0-9, '-', at most 63), got "My_Kafka"`);
    expect(thrownMessage(() => build({ namespace: '' }))).toBe(`KafkaCluster: namespace must be a DNS label (a-z, 0-9, '-', at most 63), got ""`);
    expect(thrownMessage(() => build({ resources: parsed('2', '1Gi', '1', '2Gi') }))).toBe('KafkaCluster: resources.requests.cpu (2) must not exceed resources.limits.cpu (1)');
  });
});
