import * as fs from 'node:fs';
import * as path from 'node:path';
import { auth, Client } from 'cassandra-driver';
import type { EngineCredentials } from '../../../infra/credentials';
import { loginRefused } from '../cassandra/cassandra-client';
import { createRoleCql, quoteIdent } from '../../../infra/cql/ddl';
import type { EngineLayout } from './engine-layout';
import { engineFiles, type EngineServer } from './engine-server';
import { CASSANDRA_CONTACT_POINT, CASSANDRA_LOCAL_DC, CASSANDRA_PORT, CASSANDRA_STORAGE_PORT, ENGINE_HOST } from './endpoints';
import { claimDataDir } from './platform-credentials';
import { engineMarker } from './process-control';

/**
 * A minimal cassandra.yaml for one loopback node; everything not named keeps Cassandra's default.
 * SimpleSnitch puts the node in data center `datacenter1`, rack `rack1`. One token, and no hints,
 * snapshots on drop/truncate or compaction parallelism: a test node, started and dropped often.
 * Cassandra 5's trie memtable for every table: less CPU per write than the default skip list, and
 * CPU is what two cores run out of (test/bench/batch.bench.ts reports Cassandra's µs per row).
 * Roles and grants as on a cluster: password authentication, CassandraAuthorizer.
 */
export function cassandraYaml(dataDir: string): string {
  const dir = (sub: string): string => JSON.stringify(path.join(dataDir, sub));
  return `cluster_name: mysimbdp-local
num_tokens: 1
initial_token: 0
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "${ENGINE_HOST}:${CASSANDRA_STORAGE_PORT}"
listen_address: ${ENGINE_HOST}
rpc_address: ${ENGINE_HOST}
storage_port: ${CASSANDRA_STORAGE_PORT}
native_transport_port: ${CASSANDRA_PORT}
start_native_transport: true
data_file_directories:
  - ${dir('data')}
commitlog_directory: ${dir('commitlog')}
saved_caches_directory: ${dir('saved_caches')}
hints_directory: ${dir('hints')}
cdc_raw_directory: ${dir('cdc_raw')}
commitlog_sync: batch
hinted_handoff_enabled: false
auto_snapshot: false
concurrent_compactors: 1
authenticator: PasswordAuthenticator
authorizer: CassandraAuthorizer
role_manager: CassandraRoleManager
memtable:
  configurations:
    trie:
      class_name: TrieMemtable
    default:
      inherits: trie
`;
}

/** logback: everything at INFO to stdout, which the launcher appends to the engine's log file. */
export const LOGBACK_XML = `<configuration scan="false">
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="STDOUT"/></root>
</configuration>
`;

/**
 * JVM options: the JPMS and Netty lines of Cassandra 5.0's conf/jvm17-server.options (Cassandra
 * reaches into JDK internals), a small fixed heap, and start-up shortcuts a single node can take.
 * Java assertions stay off (the shipped options turn them on): they cost CPU on every write. The
 * throughput collector, not G1: pauses matter little on a test node, CPU per write does.
 */
export function cassandraJvmOptions(jars: readonly string[]): string[] {
  const jamm = jars.find((jar) => /\/jamm-[^/]*\.jar$/.test(jar));
  return [
    '-Xms768m',
    '-Xmx768m',
    '-XX:+UseParallelGC',
    '-XX:+UseThreadPriorities',
    '-XX:+PerfDisableSharedMem',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.net.preferIPv4Stack=true',
    '-Djdk.attach.allowAttachSelf=true',
    '--add-exports', 'java.base/jdk.internal.misc=ALL-UNNAMED',
    '--add-exports', 'java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED',
    '--add-exports', 'java.rmi/sun.rmi.registry=ALL-UNNAMED',
    '--add-exports', 'java.rmi/sun.rmi.server=ALL-UNNAMED',
    '--add-exports', 'java.sql/java.sql=ALL-UNNAMED',
    '--add-exports', 'java.base/java.lang.ref=ALL-UNNAMED',
    '--add-exports', 'jdk.unsupported/sun.misc=ALL-UNNAMED',
    '--add-exports', 'jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED',
    '--add-exports', 'jdk.attach/sun.tools.attach=ALL-UNNAMED',
    '--add-opens', 'java.base/java.lang.module=ALL-UNNAMED',
    '--add-opens', 'java.base/jdk.internal.loader=ALL-UNNAMED',
    '--add-opens', 'java.base/jdk.internal.ref=ALL-UNNAMED',
    '--add-opens', 'java.base/jdk.internal.reflect=ALL-UNNAMED',
    '--add-opens', 'java.base/jdk.internal.math=ALL-UNNAMED',
    '--add-opens', 'java.base/jdk.internal.module=ALL-UNNAMED',
    '--add-opens', 'java.base/jdk.internal.util.jar=ALL-UNNAMED',
    '--add-opens', 'jdk.management/com.sun.management.internal=ALL-UNNAMED',
    '--add-opens', 'java.base/sun.nio.ch=ALL-UNNAMED',
    '--add-opens', 'java.base/java.io=ALL-UNNAMED',
    '--add-opens', 'java.base/java.lang.reflect=ALL-UNNAMED',
    '--add-opens', 'jdk.compiler/com.sun.tools.javac=ALL-UNNAMED',
    '--add-opens', 'java.base/java.lang=ALL-UNNAMED',
    '--add-opens', 'java.base/java.util=ALL-UNNAMED',
    '-Dio.netty.tryReflectionSetAccessible=true',
    '-Dio.netty.allocator.useCacheForAllThreads=true',
    '-Dio.netty.allocator.maxOrder=11',
    // single node: no gossip peers to wait for, no ring to settle
    '-Dcassandra.skip_wait_for_gossip_to_settle=0',
    '-Dcassandra.ring_delay_ms=1000',
    // the default role appears at once, so the platform's role can replace it right after start-up
    '-Dcassandra.superuser_setup_delay_ms=0',
    // No -Dcassandra.unsafesystem: it writes the system keyspaces without the commit log, so a
    // SIGKILL loses recent schema, and the commit log's rows for those tables with it (fault suite).
    // jamm measures memtable sizes through the instrumentation agent (cassandra-env.sh adds it too)
    ...(jamm === undefined ? [] : [`-javaagent:${jamm}`]),
  ];
}

/** The role a fresh node starts with; replaced by the platform's role at first start. */
const DEFAULT_ROLE = { username: 'cassandra', password: 'cassandra' };

function probeClient(user: { readonly username: string; readonly password: string }): Client {
  return new Client({
    contactPoints: [CASSANDRA_CONTACT_POINT],
    localDataCenter: CASSANDRA_LOCAL_DC,
    authProvider: new auth.PlainTextAuthProvider(user.username, user.password),
    socketOptions: { connectTimeout: 2000, readTimeout: 5000 },
  });
}

async function withClient<T>(user: { readonly username: string; readonly password: string }, use: (client: Client) => Promise<T>): Promise<T> {
  const client = probeClient(user);
  try {
    await client.connect();
    return await use(client);
  } finally {
    await client.shutdown().catch(() => undefined);
  }
}

/**
 * First start: the node has only its default role. The platform's superuser role takes its place
 * (created as the default role, which is then dropped as the platform), so nothing logs in with the
 * well-known password afterwards.
 */
async function replaceDefaultRole(platform: { readonly username: string; readonly password: string }): Promise<void> {
  await withClient(DEFAULT_ROLE, (client) =>
    client.execute(createRoleCql(platform.username, platform.password, true)),
  );
  await withClient(platform, (client) => client.execute(`DROP ROLE IF EXISTS ${quoteIdent(DEFAULT_ROLE.username)}`));
}

async function probeCassandra(platform: EngineCredentials | undefined): Promise<string | undefined> {
  if (platform === undefined) return undefined;
  const describe = (client: Client): Promise<string> =>
    client.execute('SELECT release_version, data_center FROM system.local').then((rs) => {
      const row = rs.first();
      return `Cassandra ${String(row.get('release_version'))}, data center ${String(row.get('data_center'))}`;
    });
  try {
    return await withClient(platform.cassandra, describe);
  } catch (err) {
    if (!loginRefused(err)) return undefined;
  }
  try {
    await replaceDefaultRole(platform.cassandra);
    return await withClient(platform.cassandra, describe);
  } catch {
    return undefined;
  }
}

async function prepareCassandra(layout: EngineLayout, jars: readonly string[], platform: EngineCredentials, progress: (line: string) => void): Promise<readonly string[]> {
  const files = engineFiles(layout, 'cassandra');
  if (claimDataDir(files.dataDir, platform.cassandra.password)) progress('cassandra: cleared data made without the current platform credentials');
  fs.mkdirSync(files.confDir, { recursive: true });
  const yamlFile = path.join(files.confDir, 'cassandra.yaml');
  const logbackFile = path.join(files.confDir, 'logback.xml');
  fs.writeFileSync(yamlFile, cassandraYaml(files.dataDir));
  fs.writeFileSync(logbackFile, LOGBACK_XML);
  return [
    engineMarker('cassandra'),
    ...cassandraJvmOptions(jars),
    `-Dcassandra.config=file://${yamlFile}`,
    `-Dcassandra.storagedir=${files.dataDir}`,
    `-Dcassandra.logdir=${layout.logDir}`,
    `-Dlogback.configurationFile=${logbackFile}`,
    '-Dcassandra-foreground=yes',
    '-cp',
    [files.confDir, ...jars].join(path.delimiter),
    'org.apache.cassandra.service.CassandraDaemon',
  ];
}

export const cassandraServer: EngineServer = {
  name: 'cassandra',
  endpoint: CASSANDRA_CONTACT_POINT,
  ports: [CASSANDRA_PORT, CASSANDRA_STORAGE_PORT],
  startTimeoutMs: 180_000,
  probe: probeCassandra,
  prepare: prepareCassandra,
};
