import * as path from 'node:path';
import { EngineError } from '../../../infra/errors';
import type { ClusterLayout } from './cluster-layout';
import { ensureGoBinaries, goModVersion, type GoBuildSpec } from './go-build';

/** The binaries built from ingest/cluster/cmd/<name>, in build order (the longest last). */
export const CLUSTER_BINARIES = ['etcd', 'kubectl', 'kube-controller-manager', 'kube-apiserver'] as const;

export interface BinariesOutcome {
  readonly cached: boolean;
  /** k8s.io/kubernetes version from the Go module, e.g. v1.37.2. */
  readonly kubernetesVersion: string;
  readonly elapsedMs: number;
}

/** The k8s.io/kubernetes version the Go module requires: the only place it is pinned. */
export function kubernetesVersion(goModuleDir: string): string {
  const version = goModVersion(goModuleDir, 'k8s.io/kubernetes');
  if (!/^v\d+\.\d+\.\d+$/.test(version)) throw new EngineError(`${path.join(goModuleDir, 'go.mod')} does not require k8s.io/kubernetes at a release version`);
  return version;
}

/** Linker flags: stripped, and the version Kubernetes reports (kubectl refuses the unset default). */
export function ldflags(version: string): string {
  const [major, minor] = version.replace(/^v/, '').split('.');
  const vars = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((pkg) => [
    `-X ${pkg}.gitVersion=${version}`,
    `-X ${pkg}.gitMajor=${major}`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`,
  ]);
  return ['-s', '-w', ...vars].join(' ');
}

/** How the control plane is built: ingest/cluster's mains, keyed on the module and the mains. */
export function controlPlaneBuild(layout: ClusterLayout): GoBuildSpec {
  const version = kubernetesVersion(layout.goModuleDir);
  return {
    id: 'control-plane',
    title: `the control plane (k8s.io/kubernetes ${version})`,
    moduleDir: layout.goModuleDir,
    binDir: layout.binDir,
    binaries: CLUSTER_BINARIES.map((name) => ({ name, pkg: `./cmd/${name}` })),
    ldflags: ldflags(version),
    keyFiles: CLUSTER_BINARIES.map((name) => path.join('cmd', name, 'main.go')),
  };
}

/** etcd, kube-apiserver, kube-controller-manager and kubectl under `<cache>/bin`, built when missing or stale. */
export async function ensureBinaries(layout: ClusterLayout, progress: (line: string) => void): Promise<BinariesOutcome> {
  const spec = controlPlaneBuild(layout);
  const outcome = await ensureGoBinaries(spec, progress);
  return { ...outcome, kubernetesVersion: kubernetesVersion(layout.goModuleDir) };
}
