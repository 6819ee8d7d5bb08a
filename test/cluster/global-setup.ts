import { clusterLayout, ensureCluster, stopCluster } from '../../ingest/src/cluster';
import { describeCluster } from '../../ingest/src/cluster/main';
import { takeLease } from '../../ingest/src/engines';

const say = (line: string): void => void process.stderr.write(`cluster: ${line}\n`);

/**
 * Cluster tests' global setup: the local control plane (etcd, kube-apiserver,
 * kube-controller-manager) up once per run, reused when already up, its binaries built when the
 * cache is empty. Teardown stops it only when this run started it and no other run holds a lease.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const layout = clusterLayout();
  const lease = takeLease(layout.runDir);
  const outcome = await ensureCluster({ progress: say });
  for (const line of describeCluster(outcome)) say(line);
  return async () => {
    const others = lease.release();
    if (!outcome.components.some((c) => c.state === 'started')) return;
    if (others > 0) {
      say(`leaving the control plane running: ${others} other test run(s) still use it`);
      return;
    }
    for (const o of await stopCluster()) say(`${o.name} ${o.state}${o.pid === undefined ? '' : ` (pid ${o.pid})`}`);
  };
}
