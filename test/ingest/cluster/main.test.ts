import { describe, expect, it } from 'vitest';
import { describeCluster, run, USAGE } from '../../../ingest/src/cluster/main';

describe('cluster CLI', () => {
  it('refuses an unknown or missing command as usage', async () => {
    await expect(run(['start'])).rejects.toThrow('unknown command "start"');
    await expect(run([])).rejects.toThrow('missing command');
  });

  it('names every command in its usage', async () => {
    for (const command of ['build', 'up', 'down [--force]', 'status']) await expect(Promise.resolve(USAGE)).resolves.toContain(`\n  ${command}`);
  });

  it('reports build, components, CRDs and the kubeconfig after up', async () => {
    const lines = describeCluster({
      binaries: { cached: false, kubernetesVersion: 'v1.37.2', elapsedMs: 600_000 },
      components: [{ name: 'etcd', endpoint: 'http://127.0.0.1:2379', state: 'started', pid: 42, answer: 'etcd 3.7.0', elapsedMs: 700 }],
      crds: { names: ['a', 'b'], elapsedMs: 2500 },
      kubeconfig: '/x/kubeconfig',
      elapsedMs: 603_000,
    });
    await expect(Promise.resolve(lines)).resolves.toEqual([
      'binaries  Kubernetes v1.37.2 built in 600.0 s',
      'etcd                    http://127.0.0.1:2379    started in 0.7 s, pid 42 — etcd 3.7.0',
      'crds      2 applied server-side and Established in 2.5 s',
      'kubeconfig /x/kubeconfig',
      'cluster up in 603.0 s',
    ]);
  });
});
