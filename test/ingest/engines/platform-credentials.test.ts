import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineLayout } from '../../../ingest/src/engines/engine-layout';
import { claimDataDir, ensurePlatformCredentials, platformCredentialsFile, readPlatformCredentials } from '../../../ingest/src/engines/platform-credentials';

describe('platform credentials', () => {
  it('are made once, 0600, and kept', async () => {
    const layout = engineLayout(fs.mkdtempSync(path.join(os.tmpdir(), 'engines-')));
    await expect(readPlatformCredentials(layout)).toBeUndefined();
    const first = ensurePlatformCredentials(layout);
    await expect(first.kafka).toMatchObject({ bootstrap: '127.0.0.1:9092', mechanism: 'scram-sha-512', username: 'mysimbdp' });
    await expect(first.cassandra).toMatchObject({ contact_points: '127.0.0.1:9042', local_dc: 'datacenter1', username: 'mysimbdp' });
    await expect(first.kafka.password).not.toBe(first.cassandra.password);
    await expect(fs.statSync(platformCredentialsFile(layout)).mode & 0o777).toBe(0o600);
    await expect(ensurePlatformCredentials(layout)).toEqual(first);
  });

  it('are written for outside tools too: Kafka\'s Java clients and cqlsh, 0600', async () => {
    const layout = engineLayout(fs.mkdtempSync(path.join(os.tmpdir(), 'engines-')));
    const { kafka, cassandra } = ensurePlatformCredentials(layout);
    const dir = path.dirname(platformCredentialsFile(layout));
    await expect(fs.readFileSync(path.join(dir, 'platform.properties'), 'utf8')).toBe(
      [
        'bootstrap.servers=127.0.0.1:9092',
        'security.protocol=SASL_PLAINTEXT',
        'sasl.mechanism=SCRAM-SHA-512',
        `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="mysimbdp" password="${kafka.password}";`,
        '',
      ].join('\n'),
    );
    await expect(fs.readFileSync(path.join(dir, 'platform.cqlsh'), 'utf8')).toBe(`[PlainTextAuthProvider]\nusername = mysimbdp\npassword = ${cassandra.password}\n`);
    for (const f of ['platform.properties', 'platform.cqlsh']) await expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
  });
});

describe('claimDataDir', () => {
  it('keeps data made with the same password, clears data of any other', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'data-')), 'kafka');
    await expect(claimDataDir(dir, 'one')).toBe(false);
    fs.writeFileSync(path.join(dir, 'segment'), 'rows');
    await expect(claimDataDir(dir, 'one')).toBe(false);
    await expect(fs.existsSync(path.join(dir, 'segment'))).toBe(true);
    await expect(claimDataDir(dir, 'two')).toBe(true);
    await expect(fs.readdirSync(dir)).toEqual(['.mysimbdp-platform']);
  });

  it('clears data made before security was on (no stamp)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-'));
    fs.writeFileSync(path.join(dir, 'meta.properties'), 'old');
    await expect(claimDataDir(dir, 'pw')).toBe(true);
    await expect(fs.existsSync(path.join(dir, 'meta.properties'))).toBe(false);
  });
});
