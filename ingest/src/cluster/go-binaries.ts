import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError } from '../errors';
import { clusterBinary, type ClusterLayout } from './cluster-layout';

/** The binaries built from ingest/cluster/cmd/<name>, in build order (the longest last). */
export const CLUSTER_BINARIES = ['etcd', 'kubectl', 'kube-controller-manager', 'kube-apiserver'] as const;
export type ClusterBinary = (typeof CLUSTER_BINARIES)[number];

export interface BinariesOutcome {
  /** From `<bin>/build.json` with the same key (nothing built), or built now. */
  readonly cached: boolean;
  /** k8s.io/kubernetes version from the Go module, e.g. v1.37.2. */
  readonly kubernetesVersion: string;
  readonly elapsedMs: number;
}

/** The k8s.io/kubernetes version the Go module requires: the only place it is pinned. */
export function kubernetesVersion(goModuleDir: string): string {
  const goMod = fs.readFileSync(path.join(goModuleDir, 'go.mod'), 'utf8');
  const m = /^\s*k8s\.io\/kubernetes (v\d+\.\d+\.\d+)\s*$/m.exec(goMod);
  if (m === null) throw new EngineError(`${path.join(goModuleDir, 'go.mod')} does not require k8s.io/kubernetes at a release version`);
  return m[1] as string;
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

/** What the binaries depend on: the module's files, the mains, the Go toolchain, the flags. */
export function buildKey(layout: ClusterLayout, goVersion: string): string {
  const hash = createHash('sha256');
  const inputs = ['go.mod', 'go.sum', ...CLUSTER_BINARIES.map((name) => path.join('cmd', name, 'main.go'))];
  for (const file of inputs) hash.update(`${file}\0`).update(fs.readFileSync(path.join(layout.goModuleDir, file))).update('\0');
  hash.update(goVersion).update(ldflags(kubernetesVersion(layout.goModuleDir)));
  return hash.digest('hex').slice(0, 16);
}

interface BuildStamp {
  readonly key: string;
  readonly kubernetesVersion: string;
}

const stampFile = (layout: ClusterLayout): string => path.join(layout.binDir, 'build.json');

function goVersion(): string {
  try {
    return execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
  } catch (err) {
    throw new EngineError('the local control plane is built from the Go module proxy, and `go` was not found on PATH', { cause: err });
  }
}

/**
 * Makes etcd, kube-apiserver, kube-controller-manager and kubectl exist under `<cache>/bin`: reused
 * when `build.json` carries the current build key, else built with `go build` (minutes on a cold
 * machine; progress every 30 s).
 */
export async function ensureBinaries(layout: ClusterLayout, progress: (line: string) => void): Promise<BinariesOutcome> {
  const started = Date.now();
  const version = kubernetesVersion(layout.goModuleDir);
  const key = buildKey(layout, goVersion());
  const present = CLUSTER_BINARIES.every((name) => fs.existsSync(clusterBinary(layout, name)));
  if (present && readStamp(layout)?.key === key) return { cached: true, kubernetesVersion: version, elapsedMs: Date.now() - started };
  fs.mkdirSync(layout.binDir, { recursive: true });
  fs.rmSync(stampFile(layout), { force: true });
  progress(`building the control plane (k8s.io/kubernetes ${version}) with ${goVersion()}: cold builds take 10–20 minutes`);
  for (const name of CLUSTER_BINARIES) {
    const one = Date.now();
    await goBuild(layout, name, version, progress);
    progress(`${name}: built in ${((Date.now() - one) / 1000).toFixed(0)} s (${(fs.statSync(clusterBinary(layout, name)).size / 2 ** 20).toFixed(0)} MiB)`);
  }
  fs.writeFileSync(stampFile(layout), `${JSON.stringify({ key, kubernetesVersion: version } satisfies BuildStamp)}\n`);
  return { cached: false, kubernetesVersion: version, elapsedMs: Date.now() - started };
}

function readStamp(layout: ClusterLayout): BuildStamp | undefined {
  try {
    return JSON.parse(fs.readFileSync(stampFile(layout), 'utf8')) as BuildStamp;
  } catch {
    return undefined;
  }
}

const PROGRESS_EVERY_MS = 30_000;

/** `go build -v` of one main: its package lines count as progress; the output lands beside, then is renamed. */
function goBuild(layout: ClusterLayout, name: ClusterBinary, version: string, progress: (line: string) => void): Promise<void> {
  const out = clusterBinary(layout, name);
  const partial = `${out}.partial`;
  const args = ['build', '-v', '-trimpath', '-ldflags', ldflags(version), '-o', partial, `./cmd/${name}`];
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn('go', args, { cwd: layout.goModuleDir, stdio: ['ignore', 'ignore', 'pipe'] });
    let packages = 0;
    const tail: string[] = [];
    let pending = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        // `go build -v` names each package it compiles; anything else is a diagnostic worth keeping
        if (/^[\w.-]+(\/[\w.~-]+)*$/.test(line)) packages++;
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    });
    const ticker = setInterval(() => progress(`${name}: ${packages} packages compiled, ${((Date.now() - started) / 1000).toFixed(0)} s`), PROGRESS_EVERY_MS);
    child.once('error', (err) => {
      clearInterval(ticker);
      reject(new EngineError(`go build of ${name} could not start: ${err.message}`, { cause: err }));
    });
    child.once('close', (code) => {
      clearInterval(ticker);
      if (code !== 0) {
        fs.rmSync(partial, { force: true });
        reject(new EngineError(`go build of ${name} failed (exit ${code}) in ${layout.goModuleDir}:\n${[...tail, pending].join('\n')}`));
        return;
      }
      fs.renameSync(partial, out);
      resolve();
    });
  });
}
