import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineCredentials } from '../../../infra/credentials';
import { credentialsEnv, newPassword, readCredentialsFile, writeCredentialsFile } from '../../../ingest/src/credentials/credentials-file';

const creds: EngineCredentials = {
  kafka: { bootstrap: '127.0.0.1:9092', mechanism: 'scram-sha-512', username: 'client-a', password: 'k' },
  cassandra: { contact_points: '127.0.0.1:9042', local_dc: 'datacenter1', username: 'client_a', password: 'c' },
};

describe('credentials files', () => {
  it('are written 0600 in a 0700 folder and read back', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'creds-')), 'credentials');
    const file = path.join(dir, 'client_a.json');
    writeCredentialsFile(file, creds);
    await expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    await expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    await expect(readCredentialsFile(file)).toEqual(creds);
    await expect(fs.readdirSync(dir)).toEqual(['client_a.json']);
  });

  it('a missing file is undefined, a bad one an error naming it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'creds-'));
    await expect(readCredentialsFile(path.join(dir, 'none.json'))).toBeUndefined();
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"kafka": 1}');
    await expect(() => readCredentialsFile(path.join(dir, 'bad.json'))).toThrow(`${path.join(dir, 'bad.json')}: $.kafka must be an object`);
  });

  it('become the runtime environment a pod gets from its Secrets', async () => {
    await expect(credentialsEnv(creds)).toEqual({
      KAFKA_BROKERS: '127.0.0.1:9092', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_USERNAME: 'client-a', KAFKA_PASSWORD: 'k',
      CASSANDRA_CONTACT_POINTS: '127.0.0.1:9042', CASSANDRA_LOCAL_DC: 'datacenter1', CASSANDRA_USERNAME: 'client_a', CASSANDRA_PASSWORD: 'c',
    });
  });

  it('new passwords are 192 random bits in base64url', async () => {
    const a = newPassword();
    await expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await expect(newPassword()).not.toBe(a);
  });
});
