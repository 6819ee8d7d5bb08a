import { UsageError } from '../../infra/errors';

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

/** A required setting: flag, then environment; a UsageError naming both when neither is set. */
export function requiredSetting(flag: string | undefined, flagName: string, envName: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = flag ?? env[envName];
  if (value === undefined || value === '') throw new UsageError(`missing setting: pass --${flagName} or set ${envName}`);
  return value;
}

/** A positive integer setting; a UsageError naming the setting and value otherwise. */
export function intSetting(raw: string, name: string, min = 1): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

export interface EngineSettings {
  readonly kafkaBrokers: readonly string[];
  readonly cassandraContactPoints: readonly string[];
  readonly cassandraLocalDc: string;
}

/** Engine endpoints from flags/environment: KAFKA_BROKERS, CASSANDRA_CONTACT_POINTS, CASSANDRA_LOCAL_DC. */
export function engineSettings(
  flags: { readonly brokers?: string; readonly cassandra?: string; readonly localDc?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
): EngineSettings {
  const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter((x) => x !== '');
  return {
    kafkaBrokers: list(setting(flags.brokers, 'KAFKA_BROKERS', DEFAULTS.kafkaBrokers, env)),
    cassandraContactPoints: list(setting(flags.cassandra, 'CASSANDRA_CONTACT_POINTS', DEFAULTS.cassandraContactPoints, env)),
    cassandraLocalDc: setting(flags.localDc, 'CASSANDRA_LOCAL_DC', DEFAULTS.cassandraLocalDc, env),
  };
}
