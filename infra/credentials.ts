import { InputError } from './errors';
import type { Tenant } from './tenant/types';

// What a principal logs in to the engines with, in the one shape every reader and writer shares:
// `provision` writes a tenant's file locally (`.cache/engines/credentials/<client>.json`), `engines:up`
// the platform's (`platform.json`), and on a cluster the Pulumi program makes the same JSON as the
// Secret the provision Job reads. Field names are snake_case because outside tools read the file too.

export const KAFKA_MECHANISMS = ['scram-sha-512', 'plain'] as const;
export type KafkaMechanism = (typeof KAFKA_MECHANISMS)[number];

export interface EngineCredentials {
  readonly kafka: {
    /** `host:port[,host:port…]` */
    readonly bootstrap: string;
    readonly mechanism: KafkaMechanism;
    readonly username: string;
    readonly password: string;
  };
  readonly cassandra: {
    /** `host:port[,host:port…]` */
    readonly contact_points: string;
    readonly local_dc: string;
    readonly username: string;
    readonly password: string;
  };
}

/**
 * A login to Cassandra alone, in the same shape (the `cassandra` half of EngineCredentials): the
 * console role's (CASSANDRA_CONSOLE_ROLE), which reads the ingestion log and never uses Kafka.
 */
export interface CassandraCredentials {
  readonly cassandra: EngineCredentials['cassandra'];
}

/** File name of a tenant's credentials in a credentials folder (and key of its cluster Secret). */
export function credentialsFileName(client: string): string {
  return `${client}.json`;
}

/** File name of the platform's own credentials (super user on both engines). */
export const PLATFORM_CREDENTIALS_FILE = 'platform.json';

/** The tenant's Cassandra role: its client id, a valid unquoted CQL identifier (client-id rule). */
export function cassandraRoleName(tenant: Pick<Tenant, 'client'>): string {
  return tenant.client;
}

type JsonObject = Record<string, unknown>;

/** Field readers for one document; every problem names the source, the JSON path and the rule, never a password's value. */
function reader(text: string, source: string) {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // no cause: V8's message quotes the input, which holds passwords
    throw new InputError(`${source}: not JSON`);
  }
  const object = (value: unknown, at: string): JsonObject => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${source}: ${at} must be an object`);
    return value as JsonObject;
  };
  const text_ = (o: JsonObject, at: string, key: string): string => {
    const value = o[key];
    if (typeof value !== 'string' || value === '') throw new InputError(`${source}: ${at}.${key} must be a non-empty string`);
    return value;
  };
  const root = object(doc, '$');
  const cassandra = (): EngineCredentials['cassandra'] => {
    const c = object(root.cassandra, '$.cassandra');
    return {
      contact_points: text_(c, '$.cassandra', 'contact_points'),
      local_dc: text_(c, '$.cassandra', 'local_dc'),
      username: text_(c, '$.cassandra', 'username'),
      password: text_(c, '$.cassandra', 'password'),
    };
  };
  return { root, object, text: text_, cassandra };
}

/** Parses a credentials document (see `reader` for its errors). */
export function parseCredentials(text: string, source: string): EngineCredentials {
  const { root, object, text: text_, cassandra } = reader(text, source);
  const kafka = object(root.kafka, '$.kafka');
  const mechanism = text_(kafka, '$.kafka', 'mechanism');
  if (!(KAFKA_MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new InputError(`${source}: $.kafka.mechanism must be one of ${KAFKA_MECHANISMS.join(', ')}, got "${mechanism}"`);
  }
  return {
    kafka: {
      bootstrap: text_(kafka, '$.kafka', 'bootstrap'),
      mechanism: mechanism as KafkaMechanism,
      username: text_(kafka, '$.kafka', 'username'),
      password: text_(kafka, '$.kafka', 'password'),
    },
    cassandra: cassandra(),
  };
}

/** Parses a Cassandra-only credentials document (`{ "cassandra": { … } }`); a `kafka` member is ignored. */
export function parseCassandraCredentials(text: string, source: string): CassandraCredentials {
  return { cassandra: reader(text, source).cassandra() };
}
