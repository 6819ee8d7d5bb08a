import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { EngineError } from '../../../infra/errors';
import { crdPaths } from '../../../infra/imports/crd-files';
import { clusterBinary, type ClusterLayout } from './cluster-layout';

const run = promisify(execFile);

/** Where an operator's CRDs come from: files in this repository (absolute paths), or files of the operator's own Go module. */
type CrdSource =
  | { readonly operator: string; readonly repoFiles: readonly string[] }
  | { readonly operator: string; readonly goModule: string; readonly version: string; readonly moduleFiles: readonly string[] };

/**
 * The CRDs of every custom resource the platform synthesizes. Strimzi and cass-operator are the
 * ones `cdk8s import` typed our constructs from; KEDA and prometheus-operator come from the
 * releases that the platform's pinned charts install (KEDA chart 2.17.2, kube-prometheus-stack 75.x).
 */
export const OPERATOR_CRDS: readonly CrdSource[] = [
  { operator: 'strimzi', repoFiles: crdPaths('strimzi') },
  { operator: 'cass-operator', repoFiles: crdPaths('cassOperator') },
  {
    operator: 'keda',
    goModule: 'github.com/kedacore/keda/v2',
    version: 'v2.17.2',
    moduleFiles: ['config/crd/bases/keda.sh_scaledobjects.yaml', 'config/crd/bases/keda.sh_triggerauthentications.yaml'],
  },
  {
    operator: 'prometheus-operator',
    goModule: 'github.com/prometheus-operator/prometheus-operator',
    version: 'v0.84.0',
    moduleFiles: [
      'example/prometheus-operator-crd/monitoring.coreos.com_podmonitors.yaml',
      'example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml',
      'example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml',
    ],
  },
];

export interface CrdsOutcome {
  /** `customresourcedefinition.apiextensions.k8s.io/<name>` of each CRD applied and Established. */
  readonly names: readonly string[];
  readonly elapsedMs: number;
}

/**
 * Copies every CRD into `<cache>/crds/<operator>/` and applies them server-side (the cass-operator
 * CRD is too large for the last-applied annotation of a client-side apply), then waits until each
 * is Established. Idempotent.
 */
export async function applyOperatorCrds(layout: ClusterLayout, progress: (line: string) => void): Promise<CrdsOutcome> {
  const started = Date.now();
  const files: string[] = [];
  for (const source of OPERATOR_CRDS) {
    const dir = path.join(layout.crdDir, source.operator);
    fs.mkdirSync(dir, { recursive: true });
    const from = 'repoFiles' in source ? source.repoFiles : await moduleFiles(layout, source.goModule, source.version, source.moduleFiles, progress);
    for (const file of from) {
      const copy = path.join(dir, path.basename(file));
      fs.copyFileSync(file, copy);
      files.push(copy);
    }
  }
  const applied = await kubectl(layout, ['apply', '--server-side', '--force-conflicts', '--field-manager=mysimbdp-cluster', '-o', 'name', ...files.flatMap((f) => ['-f', f])]);
  const names = applied.split('\n').filter((line) => line.startsWith('customresourcedefinition'));
  await kubectl(layout, ['wait', '--for=condition=Established', '--timeout=60s', ...names]);
  return { names, elapsedMs: Date.now() - started };
}

/** The files of an operator's Go module at a pinned version, from the Go module proxy (cached by Go). */
async function moduleFiles(layout: ClusterLayout, module: string, version: string, files: readonly string[], progress: (line: string) => void): Promise<string[]> {
  let dir: string;
  try {
    const { stdout } = await run('go', ['mod', 'download', '-json', `${module}@${version}`], { cwd: layout.cacheDir, maxBuffer: 1 << 20 });
    dir = (JSON.parse(stdout) as { Dir: string }).Dir;
  } catch (err) {
    const out = String((err as { stdout?: string }).stdout ?? '');
    throw new EngineError(`cannot download ${module}@${version} for its CRDs: ${out.includes('"Error"') ? (JSON.parse(out) as { Error: string }).Error : (err as Error).message}`, { cause: err });
  }
  progress(`CRDs of ${module}@${version} from the Go module cache`);
  return files.map((f) => path.join(dir, f));
}

/** Runs the cluster's kubectl against its kubeconfig; fails with kubectl's own message. */
export async function kubectl(layout: ClusterLayout, args: readonly string[], input?: string): Promise<string> {
  const command = clusterBinary(layout, 'kubectl');
  const full = ['--kubeconfig', layout.kubeconfig, ...args];
  return new Promise((resolve, reject) => {
    const child = execFile(command, full, { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err === null) resolve(stdout);
      else reject(new EngineError(`kubectl ${args.slice(0, 2).join(' ')} failed: ${stderr.trim() || err.message}`, { cause: err }));
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}
