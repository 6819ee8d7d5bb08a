import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCredentials, type CassandraCredentials, type EngineCredentials } from '../../../infra/credentials';

/** 24 random bytes, base64url: 192 bits, no character that needs quoting in CQL, JAAS or a shell. */
export function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The credentials in `file` (parsed by `parse`: a whole EngineCredentials by default), or undefined
 * when there is none; a malformed file is an InputError naming it.
 */
export function readCredentialsFile(file: string): EngineCredentials | undefined;
export function readCredentialsFile<T>(file: string, parse: (text: string, source: string) => T): T | undefined;
export function readCredentialsFile(file: string, parse: (text: string, source: string) => unknown = parseCredentials): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
  return parse(text, file);
}

/**
 * Writes `file` readable by its owner only (0600, in a 0700 folder), atomically: a reader never sees
 * half a file, and a crash leaves the old one.
 */
export function writeCredentialsFile(file: string, credentials: EngineCredentials | CassandraCredentials): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** The runtime's environment for these credentials (what a pod gets from its Secrets). */
export function credentialsEnv(credentials: EngineCredentials): Record<string, string> {
  return {
    KAFKA_BROKERS: credentials.kafka.bootstrap,
    KAFKA_SASL_MECHANISM: credentials.kafka.mechanism,
    KAFKA_USERNAME: credentials.kafka.username,
    KAFKA_PASSWORD: credentials.kafka.password,
    CASSANDRA_CONTACT_POINTS: credentials.cassandra.contact_points,
    CASSANDRA_LOCAL_DC: credentials.cassandra.local_dc,
    CASSANDRA_USERNAME: credentials.cassandra.username,
    CASSANDRA_PASSWORD: credentials.cassandra.password,
  };
}
