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

/**
 * Parses a credentials document; every problem names the source, the JSON path and the rule, never a
 * password's value.
 */
export function parseCredentials(text: string, source: string): EngineCredentials {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // no cause: V8's message quotes the input, which holds passwords
    throw new InputError(`${source}: not JSON`);
  }
  const object = (value: unknown, at: string): Record<string, unknown> => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${source}: ${at} must be an object`);
    return value as Record<string, unknown>;
  };
  const text_ = (o: Record<string, unknown>, at: string, key: string): string => {
    const value = o[key];
    if (typeof value !== 'string' || value === '') throw new InputError(`${source}: ${at}.${key} must be a non-empty string`);
    return value;
  };
  const root = object(doc, '$');
  const kafka = object(root.kafka, '$.kafka');
  const cassandra = object(root.cassandra, '$.cassandra');
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
    cassandra: {
      contact_points: text_(cassandra, '$.cassandra', 'contact_points'),
      local_dc: text_(cassandra, '$.cassandra', 'local_dc'),
      username: text_(cassandra, '$.cassandra', 'username'),
      password: text_(cassandra, '$.cassandra', 'password'),
    },
  };
}
