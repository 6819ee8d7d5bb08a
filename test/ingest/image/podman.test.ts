import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildArgs, CONTAINERS_CONF, ensureContainersConf, runArgs } from '../../../ingest/src/image/podman';

describe('containers.conf', () => {
  it('keeps the default ulimits empty and picks runc, written once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mysimbdp-podman-'));
    const file = ensureContainersConf(dir);
    await expect(fs.readFileSync(file, 'utf8')).toBe(CONTAINERS_CONF);
    await expect(CONTAINERS_CONF).toMatch(/^\[containers\]\n(?:#.*\n)?default_ulimits = \[\]$/m);
    await expect(CONTAINERS_CONF).toContain('[engine]\nruntime = "runc"\n');
  });
});

describe('buildArgs', () => {
  it('builds on the host network from the repository root, with the ignore file, the args and the CA secret', async () => {
    const args = buildArgs({ repoRoot: '/repo', dockerfile: '/repo/ingest/Dockerfile', ignoreFile: '/repo/ingest/Dockerfile.dockerignore', tag: 'localhost/x:1', buildArgs: { NODE_IMAGE: 'localhost/base:1' }, caFile: '/ca.pem' });
    await expect(args).toEqual([
      'build', '--network', 'host', '--layers', '--pull=never', '--ignorefile', '/repo/ingest/Dockerfile.dockerignore', '-f', '/repo/ingest/Dockerfile',
      '--build-arg', 'NODE_IMAGE=localhost/base:1', '--secret', 'id=npm-ca,src=/ca.pem', '-t', 'localhost/x:1', '/repo',
    ]);
    await expect(buildArgs({ repoRoot: '/r', dockerfile: 'D', ignoreFile: 'I', tag: 't', buildArgs: {} })).not.toContain('--secret');
  });
});

describe('runArgs', () => {
  it('runs as the pod policy says: uid, read-only root with a /tmp tmpfs, no capabilities, the memory limit without swap', async () => {
    const args = runArgs({
      image: 'localhost/x:1',
      args: ['sink', '--client', 'c'],
      uid: 10001,
      memoryBytes: 134217728,
      cgroupParent: '/mysimbdp-t',
      mounts: [{ host: '/h/t', container: '/etc/t', readOnly: true }, { host: '/h/s', container: '/staging/c' }],
      env: { CLIENT_ID: 'c' },
    });
    await expect(args.slice(0, 3)).toEqual(['--cgroup-manager', 'cgroupfs', 'run']);
    const joined = args.join(' ');
    for (const part of ['--rm', '--network host', '--user 10001:10001', '--read-only', '--tmpfs /tmp', '--cap-drop all', '--security-opt no-new-privileges', '--memory 134217728', '--memory-swap 134217728', '--cgroup-parent /mysimbdp-t', '--volume /h/t:/etc/t:ro', '--volume /h/s:/staging/c:rw', '--env CLIENT_ID=c']) {
      await expect(joined).toContain(part);
    }
    await expect(args.slice(-4)).toEqual(['localhost/x:1', 'sink', '--client', 'c']);
  });
});
