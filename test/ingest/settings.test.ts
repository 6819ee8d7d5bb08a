import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCredentialsFile } from '../../ingest/src/credentials/credentials-file';
import { engineSettings } from '../../ingest/src/settings';

const creds = (user: string) => ({
  kafka: { bootstrap: '10.0.0.1:9092', mechanism: 'scram-sha-512' as const, username: `${user}-k`, password: `${user}-kp` },
  cassandra: { contact_points: '10.0.0.2:9042', local_dc: 'dc9', username: `${user}-c`, password: `${user}-cp` },
});

/** An engines cache with no platform credentials: nothing falls back to this machine's. */
const empty = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'engines-'));

describe('engineSettings', () => {
  it('defaults to the local engines without a login when nothing is set', async () => {
    await expect(engineSettings({}, { ENGINES_CACHE_DIR: empty() })).toEqual({
      kafkaBrokers: ['127.0.0.1:9092'], kafkaSsl: false, cassandraContactPoints: ['127.0.0.1:9042'], cassandraLocalDc: 'datacenter1',
    });
  });

  it('reads endpoints and logins from the environment, SCRAM-SHA-512 unless told otherwise', async () => {
    const env = {
      ENGINES_CACHE_DIR: empty(), KAFKA_BROKERS: 'a:1, b:2', KAFKA_USERNAME: 'client-a', KAFKA_PASSWORD: 'kp', KAFKA_SSL: 'true',
      CASSANDRA_CONTACT_POINTS: 'c:3', CASSANDRA_LOCAL_DC: 'dc1', CASSANDRA_USERNAME: 'client_a', CASSANDRA_PASSWORD: 'cp',
    };
    await expect(engineSettings({}, env)).toEqual({
      kafkaBrokers: ['a:1', 'b:2'], kafkaSasl: { mechanism: 'scram-sha-512', username: 'client-a', password: 'kp' }, kafkaSsl: true,
      cassandraContactPoints: ['c:3'], cassandraLocalDc: 'dc1', cassandraAuth: { username: 'client_a', password: 'cp' },
    });
    await expect(engineSettings({}, { ...env, KAFKA_SASL_MECHANISM: 'plain' }).kafkaSasl?.mechanism).toBe('plain');
    await expect(engineSettings({ brokers: 'f:9' }, env).kafkaBrokers).toEqual(['f:9']);
  });

  it('falls back to the local platform credentials only when no login variable is set', async () => {
    const cache = empty();
    writeCredentialsFile(path.join(cache, 'credentials', 'platform.json'), creds('platform'));
    const local = engineSettings({}, { ENGINES_CACHE_DIR: cache });
    await expect(local).toMatchObject({ kafkaBrokers: ['10.0.0.1:9092'], kafkaSasl: { username: 'platform-k', password: 'platform-kp' }, cassandraAuth: { username: 'platform-c' }, cassandraLocalDc: 'dc9' });
    const own = engineSettings({}, { ENGINES_CACHE_DIR: cache, CASSANDRA_USERNAME: 'u', CASSANDRA_PASSWORD: 'p' });
    await expect(own.cassandraAuth).toEqual({ username: 'u', password: 'p' });
    await expect(own.kafkaSasl).toBeUndefined();
  });

  it('takes CREDENTIALS_FILE for every variable not set, and refuses a missing one', async () => {
    const dir = empty();
    const file = path.join(dir, 'tenant.json');
    writeCredentialsFile(file, creds('t'));
    const settings = engineSettings({}, { ENGINES_CACHE_DIR: dir, CREDENTIALS_FILE: file, KAFKA_BROKERS: 'x:1' });
    await expect(settings).toMatchObject({ kafkaBrokers: ['x:1'], kafkaSasl: { username: 't-k' }, cassandraAuth: { username: 't-c', password: 't-cp' } });
    await expect(() => engineSettings({}, { CREDENTIALS_FILE: path.join(dir, 'none.json') })).toThrow(`CREDENTIALS_FILE: no file at ${path.join(dir, 'none.json')}`);
  });

  it('refuses half a login, an unknown mechanism and a bad KAFKA_SSL', async () => {
    const base = { ENGINES_CACHE_DIR: empty() };
    await expect(() => engineSettings({}, { ...base, KAFKA_USERNAME: 'u' })).toThrow('KAFKA_USERNAME is set but KAFKA_PASSWORD is not');
    await expect(() => engineSettings({}, { ...base, CASSANDRA_PASSWORD: 'p' })).toThrow('CASSANDRA_PASSWORD is set but CASSANDRA_USERNAME is not');
    await expect(() => engineSettings({}, { ...base, KAFKA_USERNAME: 'u', KAFKA_PASSWORD: 'p', KAFKA_SASL_MECHANISM: 'gssapi' })).toThrow('KAFKA_SASL_MECHANISM must be one of scram-sha-512, plain, got "gssapi"');
    await expect(() => engineSettings({}, { ...base, KAFKA_SSL: 'yes' })).toThrow('KAFKA_SSL must be true or false, got "yes"');
  });
});
