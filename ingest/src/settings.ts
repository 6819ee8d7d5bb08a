import { KAFKA_MECHANISMS, type KafkaMechanism } from '../../infra/credentials';
import { UsageError } from '../../infra/errors';
import { clientIdProblem } from '../../infra/tenant/rules/client-id';
import { credentialsEnv, readCredentialsFile } from './credentials/credentials-file';
import { engineLayout } from './engines/engine-layout';
import { platformCredentialsFile } from './engines/platform-credentials';

/** Defaults of the runtime's settings: the local engines of `npm run engines:up`. */
export const DEFAULTS = {
  kafkaBrokers: '127.0.0.1:9092',
  cassandraContactPoints: '127.0.0.1:9042',
  cassandraLocalDc: 'datacenter1',
  tenantsDir: 'tenants',
  sourcePath: 'staging',
} as const;

/** Flag, then environment variable, then default. */
export function setting(flag: string | undefined, envName: string, fallback: string, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env[envName] ?? fallback;
}

/** A positive integer setting; a UsageError naming the setting and value otherwise. */
export function intSetting(raw: string, name: string, min = 1): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

/** The console's Cassandra role (CASSANDRA_CONSOLE_ROLE): also a file name, so it follows the client-id rule. */
export function consoleRoleSetting(raw: string): string {
  const problem = clientIdProblem(raw);
  if (problem !== undefined) throw new UsageError(`CASSANDRA_CONSOLE_ROLE ${JSON.stringify(raw)} ${problem}`);
  return raw;
}

export interface EngineSettings {
  readonly kafkaBrokers: readonly string[];
  /** SASL login; undefined: connect without authentication. */
  readonly kafkaSasl?: { readonly mechanism: KafkaMechanism; readonly username: string; readonly password: string };
  readonly kafkaSsl: boolean;
  readonly cassandraContactPoints: readonly string[];
  readonly cassandraLocalDc: string;
  /** Password login; undefined: connect without authentication. */
  readonly cassandraAuth?: { readonly username: string; readonly password: string };
}

/** The variables that carry an engine login. */
export const LOGIN_ENV = ['KAFKA_USERNAME', 'KAFKA_PASSWORD', 'CASSANDRA_USERNAME', 'CASSANDRA_PASSWORD'] as const;

/**
 * The credentials file whose values stand in for unset variables: CREDENTIALS_FILE; else, when no
 * credential variable is set, the local engines' platform credentials (as kubectl falls back to
 * ~/.kube/config), if `engines:up` made them. A pod sets the variables, so it never reads a file.
 */
function credentialsFallback(env: NodeJS.ProcessEnv): Record<string, string> {
  const explicit = env.CREDENTIALS_FILE;
  if (explicit !== undefined && explicit !== '') {
    const credentials = readCredentialsFile(explicit);
    if (credentials === undefined) throw new UsageError(`CREDENTIALS_FILE: no file at ${explicit}`);
    return credentialsEnv(credentials);
  }
  if (LOGIN_ENV.some((name) => (env[name] ?? '') !== '')) return {};
  const local = readCredentialsFile(platformCredentialsFile(engineLayout(undefined, env)));
  return local === undefined ? {} : credentialsEnv(local);
}

/**
 * Engine endpoints and credentials from flags, then the environment (KAFKA_BROKERS, KAFKA_USERNAME,
 * KAFKA_PASSWORD, KAFKA_SASL_MECHANISM (default scram-sha-512), KAFKA_SSL, CASSANDRA_CONTACT_POINTS,
 * CASSANDRA_LOCAL_DC, CASSANDRA_USERNAME, CASSANDRA_PASSWORD), then a credentials file (see
 * `credentialsFallback`), then the local engines' defaults.
 */
export function engineSettings(
  flags: { readonly brokers?: string; readonly cassandra?: string; readonly localDc?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
): EngineSettings {
  const file = credentialsFallback(env);
  const get = (name: string): string | undefined => {
    const value = env[name];
    return value !== undefined && value !== '' ? value : file[name];
  };
  const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter((x) => x !== '');
  const login = (user: string, password: string): { username: string; password: string } | undefined => {
    const username = get(user);
    const secret = get(password);
    if (username === undefined && secret === undefined) return undefined;
    if (username === undefined) throw new UsageError(`${password} is set but ${user} is not`);
    if (secret === undefined) throw new UsageError(`${user} is set but ${password} is not`);
    return { username, password: secret };
  };
  const kafkaLogin = login('KAFKA_USERNAME', 'KAFKA_PASSWORD');
  const mechanism = get('KAFKA_SASL_MECHANISM') ?? 'scram-sha-512';
  if (!(KAFKA_MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new UsageError(`KAFKA_SASL_MECHANISM must be one of ${KAFKA_MECHANISMS.join(', ')}, got "${mechanism}"`);
  }
  const ssl = get('KAFKA_SSL') ?? 'false';
  if (ssl !== 'true' && ssl !== 'false') throw new UsageError(`KAFKA_SSL must be true or false, got "${ssl}"`);
  const cassandraAuth = login('CASSANDRA_USERNAME', 'CASSANDRA_PASSWORD');
  return {
    kafkaBrokers: list(flags.brokers ?? get('KAFKA_BROKERS') ?? DEFAULTS.kafkaBrokers),
    ...(kafkaLogin === undefined ? {} : { kafkaSasl: { mechanism: mechanism as KafkaMechanism, ...kafkaLogin } }),
    kafkaSsl: ssl === 'true',
    cassandraContactPoints: list(flags.cassandra ?? get('CASSANDRA_CONTACT_POINTS') ?? DEFAULTS.cassandraContactPoints),
    cassandraLocalDc: flags.localDc ?? get('CASSANDRA_LOCAL_DC') ?? DEFAULTS.cassandraLocalDc,
    ...(cassandraAuth === undefined ? {} : { cassandraAuth }),
  };
}
