import * as path from 'node:path';
import { REPO_ROOT } from '../engines/engine-layout';

/** Where the local control plane keeps binaries, certificates, etcd data, logs and pid files. */
export interface ClusterLayout {
  readonly repoRoot: string;
  /** The Go module whose mains are the control plane's binaries (ingest/cluster). */
  readonly goModuleDir: string;
  readonly cacheDir: string;
  /** etcd, kube-apiserver, kube-controller-manager, kubectl, and the key they were built for. */
  readonly binDir: string;
  /** CA, serving certificate, service-account keys, token file, the controller manager's kubeconfig. */
  readonly pkiDir: string;
  readonly dataDir: string;
  readonly logDir: string;
  /** Pid files, the start/stop lock, and leases of test runs. */
  readonly runDir: string;
  /** The operators' CRDs as applied (taken from the repository and from the operators' Go modules). */
  readonly crdDir: string;
  /** Admin kubeconfig for kubectl, the Kubernetes client and Pulumi. */
  readonly kubeconfig: string;
}

/** The layout under `cacheDir`, else $CLUSTER_CACHE_DIR (@default `<repo>/.cache/cluster`). */
export function clusterLayout(cacheDir?: string, env: NodeJS.ProcessEnv = process.env): ClusterLayout {
  const dir = path.resolve(cacheDir ?? env.CLUSTER_CACHE_DIR ?? path.join(REPO_ROOT, '.cache', 'cluster'));
  return {
    repoRoot: REPO_ROOT,
    goModuleDir: path.join(REPO_ROOT, 'ingest', 'cluster'),
    cacheDir: dir,
    binDir: path.join(dir, 'bin'),
    pkiDir: path.join(dir, 'pki'),
    dataDir: path.join(dir, 'data'),
    logDir: path.join(dir, 'logs'),
    runDir: path.join(dir, 'run'),
    crdDir: path.join(dir, 'crds'),
    kubeconfig: path.join(dir, 'kubeconfig'),
  };
}

/** Absolute path of one of the control plane's binaries. */
export function clusterBinary(layout: ClusterLayout, name: string): string {
  return path.join(layout.binDir, name);
}
