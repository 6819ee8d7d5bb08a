import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLATFORM_CREDENTIALS_FILE, type EngineCredentials } from '../../../infra/credentials';
import { newPassword, readCredentialsFile, writeCredentialsFile } from '../credentials/credentials-file';
import type { EngineLayout } from './engine-layout';
import { CASSANDRA_CONTACT_POINT, CASSANDRA_LOCAL_DC, KAFKA_BOOTSTRAP } from './endpoints';
import { kafkaClientSaslProperties } from './kafka-sasl';

/** The platform's principal on both local engines: Kafka super user, Cassandra superuser role. */
export const PLATFORM_USER = 'mysimbdp';

/** Where credentials files live: `<cache>/credentials` (platform.json and one `<client>.json` per provisioned tenant). */
export function credentialsDir(layout: EngineLayout): string {
  return path.join(layout.cacheDir, 'credentials');
}

export function platformCredentialsFile(layout: EngineLayout): string {
  return path.join(credentialsDir(layout), PLATFORM_CREDENTIALS_FILE);
}

/** The platform's credentials when `engines:up` has made them; undefined before. */
export function readPlatformCredentials(layout: EngineLayout): EngineCredentials | undefined {
  return readCredentialsFile(platformCredentialsFile(layout));
}

/**
 * The platform's credentials, made with new random passwords on the first call; beside them, the
 * same login for outside tools (0600): `platform.properties` for Kafka's Java tools
 * (`--command-config`, `--consumer.config`…) and `platform.cqlsh` for `cqlsh --credentials`.
 */
export function ensurePlatformCredentials(layout: EngineLayout): EngineCredentials {
  const credentials: EngineCredentials = readPlatformCredentials(layout) ?? {
    kafka: { bootstrap: KAFKA_BOOTSTRAP, mechanism: 'scram-sha-512', username: PLATFORM_USER, password: newPassword() },
    cassandra: { contact_points: CASSANDRA_CONTACT_POINT, local_dc: CASSANDRA_LOCAL_DC, username: PLATFORM_USER, password: newPassword() },
  };
  writeCredentialsFile(platformCredentialsFile(layout), credentials);
  const dir = credentialsDir(layout);
  fs.writeFileSync(path.join(dir, 'platform.properties'), `bootstrap.servers=${credentials.kafka.bootstrap}\n${kafkaClientSaslProperties(credentials.kafka).join('\n')}\n`, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'platform.cqlsh'), `[PlainTextAuthProvider]\nusername = ${credentials.cassandra.username}\npassword = ${credentials.cassandra.password}\n`, { mode: 0o600 });
  return credentials;
}

/**
 * An engine's data belongs to the platform password it was set up with (Kafka keeps the SCRAM
 * credential in its metadata log, Cassandra the role): a stamp beside the data records a hash of it.
 * Data without a matching stamp (made before security was on, or with credentials since deleted) is
 * unusable and `claimDataDir` clears it.
 */
const STAMP = '.mysimbdp-platform';

const stampOf = (password: string): string => createHash('sha256').update(`mysimbdp-engine-data:${password}`).digest('hex');

/** Makes `dataDir` belong to `password`: true when it held data of other credentials, now cleared. */
export function claimDataDir(dataDir: string, password: string): boolean {
  const stampFile = path.join(dataDir, STAMP);
  const expected = stampOf(password);
  const current = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8').trim() : undefined;
  if (current === expected) return false;
  const hadData = fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0;
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(stampFile, `${expected}\n`);
  return hadData;
}
