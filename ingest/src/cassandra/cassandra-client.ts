import * as cassandra from 'cassandra-driver';
import { EngineError } from '../../../infra/errors';
import { createLogger } from '../log';
import { engineSettings, type EngineSettings } from '../settings';

/** Connections per local host: two keep one slow request from stalling the rest of a flush. */
const CONNECTIONS_PER_HOST = 2;

/**
 * A cassandra-driver Client for the configured engine: contact points (`host:port`) and local data
 * center from `engineSettings()`, password login when the settings have one, token-aware
 * routing to the local DC, prepared statements by default and LOCAL_QUORUM consistency (writes
 * survive one replica loss at RF 3; at RF 1 it is the one replica). Connects lazily on first use.
 */
export function createCassandraClient(
  settings: EngineSettings = engineSettings(),
  keyspace?: string,
): cassandra.Client {
  const { cassandraAuth } = settings;
  const local = cassandra.types.distance.local;
  return new cassandra.Client({
    contactPoints: [...settings.cassandraContactPoints],
    localDataCenter: settings.cassandraLocalDc,
    ...(keyspace === undefined ? {} : { keyspace }),
    ...(cassandraAuth === undefined ? {} : { authProvider: new cassandra.auth.PlainTextAuthProvider(cassandraAuth.username, cassandraAuth.password) }),
    pooling: { coreConnectionsPerHost: { [local]: CONNECTIONS_PER_HOST } },
    queryOptions: { prepare: true, consistency: cassandra.types.consistencies.localQuorum },
    socketOptions: { connectTimeout: 10_000, readTimeout: 30_000 },
    protocolOptions: { maxSchemaAgreementWaitSeconds: 30 },
  });
}

/** Whether the driver failed because the node refused the login (not: it is down or still starting). */
export function loginRefused(err: unknown): boolean {
  const inner = err instanceof cassandra.errors.NoHostAvailableError ? Object.values(err.innerErrors as Record<string, unknown>) : [err];
  return inner.length > 0 && inner.every((e) => e instanceof cassandra.errors.AuthenticationError);
}

/**
 * Connects, turning the driver's failure into an EngineError naming the contact points: retriable
 * (an engine that is still starting is worth another attempt through retry.ts) unless the node
 * refused the login, which another attempt will not change.
 */
export async function connectCassandra(client: cassandra.Client, settings: EngineSettings = engineSettings()): Promise<void> {
  createLogger({ component: 'cassandra' }).debug('connecting', {
    contact_points: settings.cassandraContactPoints, local_dc: settings.cassandraLocalDc, username: settings.cassandraAuth?.username ?? null,
  });
  try {
    await client.connect();
  } catch (err) {
    throw new EngineError(`cannot connect to Cassandra at ${settings.cassandraContactPoints.join(',')}: ${(err as Error).message}`, {
      cause: err,
      retriable: !loginRefused(err),
    });
  }
}
