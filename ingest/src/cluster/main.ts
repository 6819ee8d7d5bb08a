import { parseFlags } from '../args';
import { describeOwner, describeStop, runAsMain } from '../engines/tool-cli';
import { UsageError } from '../../../infra/errors';
import { liveLeases } from '../engines/engine-leases';
import { seconds } from '../engines/engines';
import { clusterLayout } from './cluster-layout';
import { buildCluster, clusterStatus, ensureCluster, stopCluster, type ClusterOutcome } from './control-plane';

export const USAGE = `usage: tsx ingest/src/cluster/main.ts <command> [--cache-dir DIR]

  build            build etcd, kube-apiserver, kube-controller-manager and kubectl from the Go
                   module proxy into <cache>/bin (reused while their build key is unchanged)
  up               build if needed, start the control plane on loopback (API server
                   https://127.0.0.1:6443, etcd 127.0.0.1:2379), apply the operators' CRDs,
                   write <cache>/kubeconfig; reuses what already runs
  down [--force]   stop what up started and wait until its ports are closed; refuses while a test
                   run holds a lease on the cluster, unless --force
  status           what answers, and which pids this tool started

cache folder: --cache-dir, else CLUSTER_CACHE_DIR, else <repo>/.cache/cluster`;

const progress = (line: string): void => void process.stderr.write(`cluster: ${line}\n`);

/** The lines `up` prints: build, each component, CRDs, kubeconfig, total. */
export function describeCluster(outcome: ClusterOutcome): string[] {
  const b = outcome.binaries;
  return [
    `binaries  Kubernetes ${b.kubernetesVersion} ${b.cached ? 'cached' : `built in ${seconds(b.elapsedMs)}`}`,
    ...outcome.components.map(
      (c) => `${c.name.padEnd(23)} ${c.endpoint.padEnd(24)} ${c.state === 'reused' ? 'already up' : `started in ${seconds(c.elapsedMs)}`}${c.pid === undefined ? '' : `, pid ${c.pid}`} — ${c.answer}`,
    ),
    `crds      ${outcome.crds.names.length} applied server-side and Established in ${seconds(outcome.crds.elapsedMs)}`,
    `kubeconfig ${outcome.kubeconfig}`,
    `cluster up in ${seconds(outcome.elapsedMs)}`,
  ];
}

export async function run(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const flags = parseFlags(rest, { 'cache-dir': { type: 'string' }, force: { type: 'boolean' } });
  const cacheDir = flags['cache-dir'];
  switch (command) {
    case 'build': {
      const b = await buildCluster({ cacheDir, progress });
      process.stdout.write(`binaries  Kubernetes ${b.kubernetesVersion} ${b.cached ? 'cached' : `built in ${seconds(b.elapsedMs)}`} in ${clusterLayout(cacheDir).binDir}\n`);
      return 0;
    }
    case 'up':
      for (const line of describeCluster(await ensureCluster({ cacheDir, progress }))) process.stdout.write(`${line}\n`);
      return 0;
    case 'down': {
      const users = liveLeases(clusterLayout(cacheDir).runDir);
      if (users.length > 0 && !(flags.force ?? false)) {
        process.stderr.write(`cluster: not stopping, test runs use the cluster (pids ${users.join(', ')}); --force stops it anyway\n`);
        return 1;
      }
      for (const o of await stopCluster(cacheDir)) {
        const what = describeStop(o, 'cluster:up');
        process.stdout.write(`${o.name.padEnd(23)} ${what}\n`);
      }
      return 0;
    }
    case 'status': {
      for (const s of await clusterStatus(cacheDir)) {
        const owner = describeOwner(s.pid, s.answer, 'cluster:up');
        process.stdout.write(`${s.name.padEnd(23)} ${s.endpoint.padEnd(24)} ${s.answer === undefined ? 'down' : `up — ${s.answer}`}${owner}\n`);
      }
      return 0;
    }
    default:
      throw new UsageError(command === undefined ? 'missing command' : `unknown command "${command}"`);
  }
}

if (require.main === module) runAsMain('cluster', USAGE, run);
