import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../../infra/errors';
import { KubernetesScaleTarget } from '../../../ingest/src/manager/kubernetes-scale-target';
import { clientA, tenantOf } from '../helpers/datasets';

// No cluster exists on this machine: a loopback server answers the two apps/v1 calls the client
// makes, and records exactly what it was sent.
interface Seen {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
  readonly body: string;
}

const tenant = tenantOf('client_a', [clientA()]);
const dataset = tenant.datasets[0]!;
let server: http.Server;
let seen: Seen[];
let replicas: Map<string, number>;
let target: KubernetesScaleTarget;
let kedaTarget: KubernetesScaleTarget;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', contentType: req.headers['content-type'], authorization: req.headers.authorization, body });
      const m = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/?]+)/.exec(req.url ?? '');
      const key = m === null ? '' : `${m[1]}/${m[2]}`;
      if (!replicas.has(key)) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `deployments.apps "${m?.[2]}" not found`, reason: 'NotFound', code: 404 }));
        return;
      }
      if (req.method === 'PATCH') replicas.set(key, (JSON.parse(body) as { spec: { replicas: number } }).spec.replicas);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: m?.[2], namespace: m?.[1] }, spec: { replicas: replicas.get(key), selector: {}, template: {} } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const kubeConfig = {
    clusters: [{ name: 'fake', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'monitor', token: 'sa-token' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'monitor' }],
    currentContext: 'fake',
  };
  target = await KubernetesScaleTarget.create({ kubeConfig, namespacePrefix: 'mysimbdp' });
  kedaTarget = await KubernetesScaleTarget.create({ kubeConfig, sinkScaler: 'keda' });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
  replicas = new Map([
    ['mysimbdp-client-a/client-a-speed-tracking-data-stream', 1],
    ['mysimbdp-client-a/client-a-speed-tracking-data-sink', 1],
  ]);
});

describe('KubernetesScaleTarget', () => {
  it('reads the stream Deployment replicas', async () => {
    await expect(target.replicas(tenant, dataset)).resolves.toBe(1);
    expect(seen).toEqual([{ method: 'GET', path: '/apis/apps/v1/namespaces/mysimbdp-client-a/deployments/client-a-speed-tracking-data-stream', contentType: undefined, authorization: 'Bearer sa-token', body: '' }]);
  });

  it('merge-patches spec.replicas of the stream and sink Deployments', async () => {
    await expect(target.scale(tenant, dataset, 3)).resolves.toEqual({ skipped: [] });
    expect(seen).toEqual(
      ['stream', 'sink'].map((role) => ({
        method: 'PATCH',
        path: `/apis/apps/v1/namespaces/mysimbdp-client-a/deployments/client-a-speed-tracking-data-${role}?fieldManager=mysimbdp-monitor`,
        contentType: 'application/merge-patch+json',
        authorization: 'Bearer sa-token',
        body: '{"spec":{"replicas":3}}',
      })),
    );
    expect([...replicas.values()]).toEqual([3, 3]);
  });

  it('with sink scaler keda patches only the stream, and says why the sink was skipped', async () => {
    await expect(kedaTarget.scale(tenant, dataset, 2)).resolves.toEqual({
      skipped: ["sink deployment mysimbdp-client-a/client-a-speed-tracking-data-sink not scaled: KEDA's ScaledObject owns its replicas (sink scaler keda)"],
    });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['PATCH /apis/apps/v1/namespaces/mysimbdp-client-a/deployments/client-a-speed-tracking-data-stream?fieldManager=mysimbdp-monitor']);
    expect(Object.fromEntries(replicas)).toEqual({
      'mysimbdp-client-a/client-a-speed-tracking-data-stream': 2,
      'mysimbdp-client-a/client-a-speed-tracking-data-sink': 1,
    });
  });

  it('names the deployment and status when the API refuses', async () => {
    replicas.delete('mysimbdp-client-a/client-a-speed-tracking-data-sink');
    const err = await target.scale(tenant, dataset, 2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).message).toMatch(/^Kubernetes API: cannot scale deployment mysimbdp-client-a\/client-a-speed-tracking-data-sink to 2 \(HTTP 404\): deployments\.apps "client-a-speed-tracking-data-sink" not found$/);
    expect((err as EngineError).retriable).toBe(false);
    expect((err as EngineError).context).toEqual({ tenant: 'client_a', dataset: 'speed-tracking-data' });
  });
});
