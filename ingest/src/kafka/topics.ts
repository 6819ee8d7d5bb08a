import { ConfigResourceTypes, type Admin, type Kafka } from 'kafkajs';
import { EngineError } from '../../../infra/errors';
import { datasetTopicSpecs, type TopicSpec } from '../../../infra/tenant/topic-specs';
import type { Dataset, Tenant } from '../../../infra/tenant/types';
import { kafkaConnectError } from './kafka-client';

export interface TopicChange {
  readonly topic: string;
  /** created; altered (partitions raised or configs aligned, `changes` says which); unchanged. */
  readonly action: 'created' | 'altered' | 'unchanged';
  readonly changes: readonly string[];
}

/**
 * Declares a dataset's topics on Kafka exactly as its KafkaTopics declare them on a cluster
 * (infra/tenant/topic-specs.ts): creates missing ones, raises partitions, aligns configs; idempotent.
 * For the local engines: on a cluster Strimzi's topic operator owns the topics and tenants have no
 * right to create them. Replicas: as many brokers as there are, up to 3.
 */
export async function declareTopics(admin: Admin, tenant: Tenant, dataset: Dataset): Promise<TopicChange[]> {
  const { brokers } = await admin.describeCluster();
  const specs = datasetTopicSpecs(tenant, dataset, Math.min(3, brokers.length));
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((s) => ({ topic: s.topic, numPartitions: s.partitions, replicationFactor: s.replicas, configEntries: configEntries(s) })),
    });
  }
  const present = specs.filter((s) => existing.has(s.topic));
  return [...missing.map((s) => ({ topic: s.topic, action: 'created' as const, changes: [] })), ...(await alignTopics(admin, present))];
}

/** Runs `work` with a connected admin client, disconnected afterwards whatever happens. */
export async function withAdmin<T>(kafka: Kafka, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  try {
    await admin.connect().catch((err: unknown) => {
      throw kafkaConnectError(err);
    });
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

const configEntries = (spec: TopicSpec) => Object.entries(spec.config).map(([name, value]) => ({ name, value: String(value) }));

async function alignTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<TopicChange[]> {
  if (specs.length === 0) return [];
  const metadata = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.topic) });
  const described = await admin.describeConfigs({ includeSynonyms: false, resources: specs.map((s) => ({ type: ConfigResourceTypes.TOPIC, name: s.topic })) });
  const changes: TopicChange[] = [];
  for (const spec of specs) {
    const partitions = metadata.topics.find((t) => t.name === spec.topic)?.partitions.length ?? 0;
    const current = new Map((described.resources.find((r) => r.resourceName === spec.topic)?.configEntries ?? []).map((e) => [e.configName, e.configValue]));
    const done: string[] = [];
    // Kafka cannot lower a topic's partitions; more than declared is left as it is.
    if (partitions < spec.partitions) {
      await admin.createPartitions({ topicPartitions: [{ topic: spec.topic, count: spec.partitions }] });
      done.push(`partitions ${partitions} → ${spec.partitions}`);
    }
    const differing = configEntries(spec).filter((e) => current.get(e.name) !== e.value);
    if (differing.length > 0) {
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: spec.topic, configEntries: configEntries(spec) }] });
      done.push(...differing.map((e) => `${e.name} ${current.get(e.name) ?? 'unset'} → ${e.value}`));
    }
    changes.push({ topic: spec.topic, action: done.length === 0 ? 'unchanged' : 'altered', changes: done });
  }
  return changes;
}

/**
 * Fails at once, naming the topic and how to create it, when one of `topics` is missing: a producer
 * would otherwise retry "This server does not host this topic-partition" for a minute.
 */
export async function requireTopics(admin: Admin, topics: readonly string[], context: { readonly tenant: string; readonly dataset: string }): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t));
  if (missing.length > 0) {
    throw new EngineError(
      `topic ${missing.join(', ')} does not exist: on the local engines run \`mysimbdp provision --client ${context.tenant}\`; on a cluster its KafkaTopic (deployed with the tenant) creates it`,
      { context },
    );
  }
}
