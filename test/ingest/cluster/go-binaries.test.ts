import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterLayout } from '../../../ingest/src/cluster/cluster-layout';
import { controlPlaneBuild, kubernetesVersion, ldflags } from '../../../ingest/src/cluster/go-binaries';
import { buildKey } from '../../../ingest/src/cluster/go-build';

/** A copy of the Go module's inputs (go.mod, go.sum, the mains) in a layout of its own. */
function moduleCopy(): ReturnType<typeof clusterLayout> {
  const real = clusterLayout();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mysimbdp-gomod-'));
  fs.cpSync(real.goModuleDir, dir, { recursive: true });
  return { ...real, goModuleDir: dir };
}

describe('control plane build inputs', () => {
  it('reads the Kubernetes version from the Go module, its one pin', async () => {
    await expect(Promise.resolve(kubernetesVersion(clusterLayout().goModuleDir))).resolves.toMatch(/^v1\.\d+\.\d+$/);
  });

  it('refuses a go.mod without a release of k8s.io/kubernetes', async () => {
    const layout = moduleCopy();
    fs.writeFileSync(path.join(layout.goModuleDir, 'go.mod'), 'module x\n\nrequire k8s.io/kubernetes v0.0.0-00010101000000-000000000000\n');
    await expect(Promise.resolve().then(() => kubernetesVersion(layout.goModuleDir))).rejects.toThrow(`${path.join(layout.goModuleDir, 'go.mod')} does not require k8s.io/kubernetes at a release version`);
  });

  it('stamps the version into both version packages and strips the binaries', async () => {
    const flags = ldflags('v1.37.2');
    await expect(Promise.resolve(flags.split(' -X ').slice(1))).resolves.toEqual([
      'k8s.io/component-base/version.gitVersion=v1.37.2', 'k8s.io/component-base/version.gitMajor=1', 'k8s.io/component-base/version.gitMinor=37', 'k8s.io/component-base/version.gitTreeState=clean',
      'k8s.io/client-go/pkg/version.gitVersion=v1.37.2', 'k8s.io/client-go/pkg/version.gitMajor=1', 'k8s.io/client-go/pkg/version.gitMinor=37', 'k8s.io/client-go/pkg/version.gitTreeState=clean',
    ]);
    await expect(Promise.resolve(flags.startsWith('-s -w '))).resolves.toBe(true);
  });

  it('keys the build on go.mod, go.sum, every main and the Go version', async () => {
    const layout = moduleCopy();
    const key = (toolchain: string): string => buildKey(controlPlaneBuild(layout), toolchain);
    const before = key('go1.26.8');
    await expect(Promise.resolve(key('go1.26.8'))).resolves.toBe(before);
    await expect(Promise.resolve(key('go1.27.3'))).resolves.not.toBe(before);
    fs.appendFileSync(path.join(layout.goModuleDir, 'cmd', 'kubectl', 'main.go'), '\n// changed\n');
    await expect(Promise.resolve(key('go1.26.8'))).resolves.not.toBe(before);
  });
});
