import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterLayout } from '../../../ingest/src/cluster/cluster-layout';
import { ensurePki } from '../../../ingest/src/cluster/cluster-pki';

describe('ensurePki (real openssl)', () => {
  const layout = clusterLayout(fs.mkdtempSync(path.join(os.tmpdir(), 'mysimbdp-pki-')));
  const pki = ensurePki(layout);

  it('signs a serving certificate for loopback and the kubernetes Service names with its own CA', async () => {
    const text = execFileSync('openssl', ['x509', '-in', pki.servingCert, '-noout', '-ext', 'subjectAltName'], { encoding: 'utf8' });
    for (const name of ['IP Address:127.0.0.1', 'IP Address:10.0.0.1', 'DNS:localhost', 'DNS:kubernetes.default.svc.cluster.local']) await expect(Promise.resolve(text)).resolves.toContain(name);
    await expect(Promise.resolve(execFileSync('openssl', ['verify', '-CAfile', pki.caCert, pki.servingCert], { encoding: 'utf8' }).trim())).resolves.toBe(`${pki.servingCert}: OK`);
  });

  it('writes an admin kubeconfig with the CA and a system:masters token, private to its owner', async () => {
    const kubeconfig = fs.readFileSync(layout.kubeconfig, 'utf8');
    await expect(Promise.resolve(kubeconfig)).resolves.toContain(`token: ${pki.adminToken}`);
    await expect(Promise.resolve(kubeconfig)).resolves.toContain(`certificate-authority-data: ${fs.readFileSync(pki.caCert).toString('base64')}`);
    await expect(Promise.resolve(fs.readFileSync(pki.tokenFile, 'utf8'))).resolves.toContain(`${pki.adminToken},mysimbdp-admin,mysimbdp-admin,"system:masters"`);
    await expect(Promise.resolve(fs.statSync(layout.kubeconfig).mode & 0o077)).resolves.toBe(0);
  });

  it('reuses what exists: a second call keeps the CA and the tokens', async () => {
    const ca = fs.readFileSync(pki.caCert, 'utf8');
    const again = ensurePki(layout);
    await expect(Promise.resolve([fs.readFileSync(again.caCert, 'utf8'), again.adminToken])).resolves.toEqual([ca, pki.adminToken]);
  });
});
