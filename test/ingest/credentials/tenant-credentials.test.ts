import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineError, InputError } from '../../../infra/errors';
import { ensureConsoleCredentials, ensureTenantCredentials } from '../../../ingest/src/credentials/tenant-credentials';
import type { EngineSettings } from '../../../ingest/src/settings';
import { seedDataset, tenantFrom } from '../helpers/tenant-dirs';

const tenant = tenantFrom('client_a', seedDataset('client_a', 'ks_creds'));
const settings: EngineSettings = { kafkaBrokers: ['k1:9092', 'k2:9092'], kafkaSsl: false, cassandraContactPoints: ['c1:9042'], cassandraLocalDc: 'dc9' };

describe('ensureTenantCredentials', () => {
  it('makes them once with the tenant\'s principals and the endpoints, then reads them back unchanged', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-creds-'));
    const first = ensureTenantCredentials(dir, tenant, settings);
    await expect(first.created).toBe(true);
    await expect(first.credentials.kafka).toMatchObject({ bootstrap: 'k1:9092,k2:9092', mechanism: 'scram-sha-512', username: 'client-a' });
    await expect(first.credentials.cassandra).toMatchObject({ contact_points: 'c1:9042', local_dc: 'dc9', username: 'client_a' });
    await expect(fs.statSync(first.file).mode & 0o777).toBe(0o600);
    const again = ensureTenantCredentials(dir, tenant, { ...settings, cassandraLocalDc: 'other' });
    await expect(again).toEqual({ ...first, created: false });
  });

  it('refuses a file made for another principal, naming file, path and both names', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-creds-'));
    const { credentials, file } = ensureTenantCredentials(dir, tenant, settings);
    fs.writeFileSync(file, JSON.stringify({ ...credentials, kafka: { ...credentials.kafka, username: 'client-b' } }));
    await expect(() => ensureTenantCredentials(dir, tenant, settings)).toThrow(InputError);
    await expect(() => ensureTenantCredentials(dir, tenant, settings)).toThrow(`${file}: $.kafka.username must be "client-a" (tenant client_a), got "client-b"`);
  });

  it('says which tenant and file when the folder cannot take a new file (a read-only mount)', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-creds-')), 'missing-parent', 'x');
    fs.mkdirSync(path.dirname(path.dirname(dir)), { recursive: true });
    // a file where the folder should be: mkdir fails as on a read-only mount
    fs.writeFileSync(path.dirname(dir), '');
    await expect(() => ensureTenantCredentials(dir, tenant, settings)).toThrow(EngineError);
    await expect(() => ensureTenantCredentials(dir, tenant, settings)).toThrow(`cannot write the credentials of tenant client_a to ${path.join(dir, 'client_a.json')}: ENOTDIR`);
  });
});

describe('ensureConsoleCredentials', () => {
  it("makes the console role's Cassandra login once in <role>.json, then reads it back; refuses one made for another role", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-creds-'));
    const first = ensureConsoleCredentials(dir, 'mysimbdp_console', settings);
    await expect({ created: first.created, file: first.file, cassandra: first.credentials.cassandra }).toEqual({
      created: true,
      file: path.join(dir, 'mysimbdp_console.json'),
      cassandra: { contact_points: 'c1:9042', local_dc: 'dc9', username: 'mysimbdp_console', password: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/) },
    });
    await expect(Object.keys(first.credentials)).toEqual(['cassandra']);
    await expect(fs.statSync(first.file).mode & 0o777).toBe(0o600);
    await expect(ensureConsoleCredentials(dir, 'mysimbdp_console', settings)).toEqual({ ...first, created: false });
    await expect(() => ensureConsoleCredentials(dir, 'other_console', settings)).not.toThrow();
    fs.copyFileSync(first.file, path.join(dir, 'third.json'));
    await expect(() => ensureConsoleCredentials(dir, 'third', settings)).toThrow(`${path.join(dir, 'third.json')}: $.cassandra.username must be "third" (the console role third), got "mysimbdp_console"`);
  });
});
