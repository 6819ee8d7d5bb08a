import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineCredentials } from '../../../infra/credentials';
import { EngineError } from '../../../infra/errors';
import type { EngineLayout } from './engine-layout';
import { engineFiles, type EngineServer } from './engine-server';
import { CONNECT_PORT, CONNECT_URL, ENGINE_HOST, KAFKA_BOOTSTRAP } from './endpoints';
import { LOG4J2_PROPERTIES } from './kafka-server';
import { kafkaClientSaslProperties } from './kafka-sasl';
import { engineMarker } from './process-control';

/** Where extra connector plugins go (one folder or uber-jar per plugin); the worker scans it at start. */
export function connectPluginDir(layout: EngineLayout): string {
  return path.join(engineFiles(layout, 'connect').dataDir, 'plugins');
}

/**
 * A distributed worker: its config, offset and status topics with replication 1 and one partition
 * each (created by the worker itself, so they need no topic auto-creation), JSON converters, REST
 * on loopback.
 */
export function connectWorkerProperties(pluginDir: string, platform: { readonly username: string; readonly password: string }): string {
  return [
    // the platform's own worker: it logs in as the platform, and so do the clients it makes for connectors
    ...['', 'producer.', 'consumer.', 'admin.'].flatMap((prefix) => kafkaClientSaslProperties(platform, prefix)),
    `bootstrap.servers=${KAFKA_BOOTSTRAP}`,
    'group.id=mysimbdp-connect',
    'key.converter=org.apache.kafka.connect.json.JsonConverter',
    'value.converter=org.apache.kafka.connect.json.JsonConverter',
    'config.storage.topic=mysimbdp-connect-configs',
    'config.storage.replication.factor=1',
    'offset.storage.topic=mysimbdp-connect-offsets',
    'offset.storage.replication.factor=1',
    'offset.storage.partitions=1',
    'status.storage.topic=mysimbdp-connect-status',
    'status.storage.replication.factor=1',
    'status.storage.partitions=1',
    'offset.flush.interval.ms=1000',
    `listeners=http://${ENGINE_HOST}:${CONNECT_PORT}`,
    `rest.advertised.host.name=${ENGINE_HOST}`,
    `rest.advertised.port=${CONNECT_PORT}`,
    `plugin.path=${pluginDir}`,
    '',
  ].join('\n');
}

/** Ready when the worker's health check (KIP-1017) says it finished start-up, not merely when REST binds. */
async function probeConnect(): Promise<string | undefined> {
  try {
    const health = await fetch(`${CONNECT_URL}/health`, { signal: AbortSignal.timeout(2000) });
    if (!health.ok) return undefined;
    const root = await fetch(`${CONNECT_URL}/`, { signal: AbortSignal.timeout(2000) });
    const body = (await root.json()) as { version?: string; kafka_cluster_id?: string };
    return `Kafka Connect ${body.version ?? '?'}, cluster ${body.kafka_cluster_id ?? '?'}`;
  } catch {
    return undefined;
  }
}

export interface ConnectorValidation {
  /** How many error messages the worker gave (a key can have several). */
  readonly errorCount: number;
  /** Each rejected key with the worker's messages. */
  readonly errors: readonly { readonly name: string; readonly errors: readonly string[] }[];
}

/**
 * Asks the running worker whether a connector config is right:
 * `PUT /connector-plugins/{class}/config/validate`. A plugin the worker does not have is an EngineError.
 */
export async function validateConnectorConfig(connectorClass: string, config: Readonly<Record<string, string>>): Promise<ConnectorValidation> {
  const url = `${CONNECT_URL}/connector-plugins/${encodeURIComponent(connectorClass)}/config/validate`;
  const res = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ 'connector.class': connectorClass, ...config }),
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) throw new EngineError(`Kafka Connect refused to validate ${connectorClass}: HTTP ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { error_count: number; configs: { value: { name: string; errors: string[] } }[] };
  return {
    errorCount: body.error_count,
    errors: body.configs.filter((c) => c.value.errors.length > 0).map((c) => ({ name: c.value.name, errors: c.value.errors })),
  };
}

async function prepareConnect(layout: EngineLayout, jars: readonly string[], platform: EngineCredentials): Promise<readonly string[]> {
  const files = engineFiles(layout, 'connect');
  const pluginDir = connectPluginDir(layout);
  fs.mkdirSync(files.confDir, { recursive: true });
  fs.mkdirSync(pluginDir, { recursive: true });
  const propsFile = path.join(files.confDir, 'connect-distributed.properties');
  const log4jFile = path.join(files.confDir, 'log4j2.properties');
  fs.writeFileSync(propsFile, connectWorkerProperties(pluginDir, platform.kafka), { mode: 0o600 });
  fs.writeFileSync(log4jFile, LOG4J2_PROPERTIES);
  return [
    engineMarker('connect'),
    '-Xms128m',
    '-Xmx512m',
    '-XX:+UseG1GC',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${log4jFile}`,
    '-cp',
    jars.join(path.delimiter),
    'org.apache.kafka.connect.cli.ConnectDistributed',
    propsFile,
  ];
}

export const connectServer: EngineServer = {
  name: 'connect',
  endpoint: CONNECT_URL,
  ports: [CONNECT_PORT],
  startTimeoutMs: 120_000,
  probe: probeConnect,
  prepare: prepareConnect,
};
