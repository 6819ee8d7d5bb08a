import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { APISERVER_URL } from '../../../ingest/src/cluster';
import { KubernetesScaleTarget } from '../../../ingest/src/manager/kubernetes-scale-target';
import { runCli } from '../../helpers/cli';
import { applyServerSide, credentials, eventually, kubeRequest, list, readManifests, removeAll, type KubeObject } from '../../helpers/kube-api';

// The manager's Kubernetes target against the real API server and Deployment controller: a patch
// of spec.replicas must reach the ReplicaSet and make admitted Pods.

const tenant = findTenant(loadTenantsOrThrow(path.join(__dirname, '..', '..', '..', 'tenants')), 'client_a');
const dataset = tenant.datasets[0]!;
const namespace = 'mysimbdp-client-a';
const deployment = (role: 'stream' | 'sink'): string => `/apis/apps/v1/namespaces/${namespace}/deployments/${tenant.dnsName}-${dataset.name}-${role}`;

/** The admin user of the local cluster, as a client-node KubeConfig. */
function kubeConfig() {
  const { token, ca } = credentials();
  return {
    clusters: [{ name: 'local', server: APISERVER_URL, caData: ca.toString('base64') }],
    users: [{ name: 'admin', token }],
    contexts: [{ name: 'local', cluster: 'local', user: 'admin' }],
    currentContext: 'local',
  };
}

async function podsOfDeployment(role: 'stream' | 'sink'): Promise<number> {
  const name = `${tenant.dnsName}-${dataset.name}-${role}`;
  const sets = (await list('apps/v1', 'replicasets', namespace)).filter((rs) => rs.metadata.ownerReferences?.some((r) => r.name === name));
  const uids = new Set(sets.map((rs) => rs.metadata.uid));
  return (await list('v1', 'pods', namespace)).filter((p) => p.metadata.ownerReferences?.some((r) => uids.has(r.uid))).length;
}

describe('KubernetesScaleTarget on a real API server', () => {
  let objects: KubeObject[] = [];

  beforeAll(async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mysimbdp-scale-'));
    const synth = runCli(['synth', '--stack', 'dev', '--out', out]);
    expect(synth.code, synth.stderr).toBe(0);
    objects = readManifests(out);
    await removeAll(objects); // what an interrupted earlier run left behind
    await applyServerSide(out);
  });

  afterAll(async () => {
    await removeAll(objects);
  });

  it('patches the stream and sink Deployments, and the controller makes that many admitted Pods', async () => {
    const target = await KubernetesScaleTarget.create({ kubeConfig: kubeConfig() });
    await expect(target.replicas(tenant, dataset)).resolves.toBe(1);
    await expect(target.scale(tenant, dataset, 3)).resolves.toEqual({ skipped: [] });
    await expect(target.replicas(tenant, dataset)).resolves.toBe(3);
    for (const role of ['stream', 'sink'] as const) {
      const d = await kubeRequest('GET', deployment(role));
      expect(d.body.spec.replicas).toBe(3);
      expect(d.body.metadata.managedFields.map((f: { manager: string }) => f.manager)).toContain('mysimbdp-monitor');
      await eventually(async () => ((await podsOfDeployment(role)) === 3 ? true : undefined), 30_000, async () => `${role}: ${await podsOfDeployment(role)} Pods, not 3`);
    }
  });

  it('with sink scaler keda, scales only the stream and says why the sink was skipped', async () => {
    const target = await KubernetesScaleTarget.create({ kubeConfig: kubeConfig(), sinkScaler: 'keda' });
    await expect(target.scale(tenant, dataset, 2)).resolves.toEqual({
      skipped: [`sink deployment ${namespace}/${tenant.dnsName}-${dataset.name}-sink not scaled: KEDA's ScaledObject owns its replicas (sink scaler keda)`],
    });
    expect((await kubeRequest('GET', deployment('stream'))).body.spec.replicas).toBe(2);
    expect((await kubeRequest('GET', deployment('sink'))).body.spec.replicas).toBe(3);
  });

  it('fails naming the Deployment, not retriable, when it does not exist', async () => {
    const target = await KubernetesScaleTarget.create({ kubeConfig: kubeConfig() });
    const ghost = { ...tenant, dnsName: 'ghost' };
    await expect(target.scale(ghost, dataset, 2)).rejects.toMatchObject({
      retriable: false,
      message: `Kubernetes API: cannot scale deployment mysimbdp-ghost/ghost-${dataset.name}-stream to 2 (HTTP 404): deployments.apps "ghost-${dataset.name}-stream" not found`,
    });
  });
});
