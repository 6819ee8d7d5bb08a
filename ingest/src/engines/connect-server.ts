import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineLayout } from './engine-layout';
import { engineFiles, type EngineServer } from './engine-server';
import { CONNECT_PORT, CONNECT_URL, ENGINE_HOST, KAFKA_BOOTSTRAP } from './endpoints';
import { LOG4J_PROPERTIES } from './kafka-server';
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
export function connectWorkerProperties(pluginDir: string): string {
  return [
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

async function probeConnect(): Promise<string | undefined> {
  try {
    const res = await fetch(`${CONNECT_URL}/`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { version?: string; kafka_cluster_id?: string };
    return `Kafka Connect ${body.version ?? '?'}, cluster ${body.kafka_cluster_id ?? '?'}`;
  } catch {
    return undefined;
  }
}

async function prepareConnect(layout: EngineLayout, jars: readonly string[]): Promise<readonly string[]> {
  const files = engineFiles(layout, 'connect');
  const pluginDir = connectPluginDir(layout);
  fs.mkdirSync(files.confDir, { recursive: true });
  fs.mkdirSync(pluginDir, { recursive: true });
  const propsFile = path.join(files.confDir, 'connect-distributed.properties');
  const log4jFile = path.join(files.confDir, 'log4j.properties');
  fs.writeFileSync(propsFile, connectWorkerProperties(pluginDir));
  fs.writeFileSync(log4jFile, LOG4J_PROPERTIES);
  return [
    engineMarker('connect'),
    '-Xms128m',
    '-Xmx512m',
    '-XX:+UseG1GC',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${log4jFile}`,
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
