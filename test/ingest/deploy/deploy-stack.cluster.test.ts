import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import type { DeployMode, DeployResult } from '../../../ingest/src/deploy/deploy-stack';
import { ensurePulumiBinaries, pulumiLayout } from '../../../ingest/src/deploy/pulumi-binaries';
import { CLI, REPO_ROOT } from '../../helpers/cli';
import { applyOperatorCrds } from '../../../ingest/src/cluster/operator-crds';
import { parseCredentials } from '../../../infra/credentials';
import { readCrds } from '../../../infra/imports/crd-files';
import { eventually, kubeRequest, layout, list } from '../../helpers/kube-api';
import { seed, writeTenantFolder } from '../../helpers/tenant-files';

// `deploy --stack local` for real: the Pulumi CLI and kubernetes provider built from the Go module
// proxy, the Automation API, a file backend of this run's own, the local API server.

const tenantsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mysimbdp-deploy-tenants-'));
const backendUrl = `file://${fs.mkdtempSync(path.join(os.tmpdir(), 'mysimbdp-deploy-state-'))}`;

/** `npx mysimbdp deploy --stack local` as a user runs it (JSON output); fails with its stderr. */
async function run(mode: DeployMode): Promise<DeployResult> {
  const flags = mode === 'preview' ? ['--preview'] : mode === 'destroy' ? ['--destroy'] : [];
  const result = spawnSync(process.execPath, [CLI, 'deploy', '--stack', 'local', ...flags, '--tenants', tenantsDir, '--backend', backendUrl, '--format', 'json'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 64 << 20,
  });
  if (result.status !== 0) throw new Error(`deploy ${mode} exited ${result.status}:\n${result.stderr.split('\n').slice(-40).join('\n')}`);
  return JSON.parse(result.stdout) as DeployResult;
}

/** The text a user sees for the same run. */
function text(mode: DeployMode): string {
  const flags = mode === 'preview' ? ['--preview'] : [];
  return spawnSync(process.execPath, [CLI, 'deploy', '--stack', 'local', ...flags, '--tenants', tenantsDir, '--backend', backendUrl], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 600_000 }).stdout;
}
const changed = (r: DeployResult) => r.changes.filter((c) => c.op !== 'same');
// The upload API and the monitor read every tenant's files: a tenant change rolls them (pod template hash).
const TENANT_READERS = ['platform-deployment-mysimbdp-platform/mysimbdp-api', 'platform-deployment-mysimbdp-platform/mysimbdp-monitor'];
// The monitor's tokens Secret lists every tenant: a tenant added or removed replaces it (new data).
const MONITOR_TOKENS = 'platform-monitor-tokens';
const outside = (r: DeployResult, client: string) =>
  changed(r).filter((c) => c.group !== client && !(c.op === 'update' && TENANT_READERS.includes(c.name)) && c.name !== MONITOR_TOKENS);
const gone = async (apiPath: string): Promise<void> => {
  await eventually(async () => ((await kubeRequest('GET', apiPath)).status === 404 ? true : undefined), 90_000, async () => `${apiPath} still exists`);
};

function addTenant(client: string, edit: (agreement: Record<string, any>, dataset: Record<string, any>) => void = () => undefined): void {
  const agreement = (client === 'client_b' ? seed.agreementB() : seed.agreementA()) as Record<string, any>;
  const dataset = (client === 'client_b' ? seed.datasetB() : seed.datasetA()) as Record<string, any>;
  agreement.client = client;
  if (client !== 'client_a' && client !== 'client_b') dataset.key_space = client;
  edit(agreement, dataset);
  writeTenantFolder(tenantsDir, client, { agreement, dataset });
}

/** The CRDs the program installs itself (Strimzi and cass-operator). */
const CRDS = [...readCrds('strimzi'), ...readCrds('cassOperator')];
const CRD_NAMES = CRDS.map((crd) => crd.metadata.name);
const crdPath = (name: string) => `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`;

describe('mysimbdp deploy --stack local on the real control plane', () => {
  let fresh: DeployResult;
  let first: DeployResult;

  beforeAll(async () => {
    // a cold build takes ~10 minutes: here, under the hook's timeout, not inside the first deploy
    await ensurePulumiBinaries(pulumiLayout(), () => undefined);
    // as on a fresh cluster: none of the operators' CRDs yet (cluster:up applied them; afterAll restores them)
    for (const crd of CRDS) {
      // a CRD's finalizer lists its instances, which fails (and backs off for minutes) while the kind's storage initializes
      const { group, names, versions } = crd.spec as { group: string; names: { plural: string }; versions: { name: string }[] };
      const instances = `/apis/${group}/${versions[0]?.name}/${names.plural}`;
      await eventually(async () => ((await kubeRequest('GET', instances)).status === 200 ? true : undefined), 60_000, async () => `${instances} cannot be listed`);
      await kubeRequest('DELETE', crdPath(crd.metadata.name));
    }
    for (const name of CRD_NAMES) await gone(crdPath(name));
    addTenant('client_a');
    addTenant('client_b');
    fresh = await run('preview');
    first = await run('up');
  });

  afterAll(async () => {
    await run('destroy');
    await applyOperatorCrds(layout, () => undefined);
  });

  it('previews and deploys on a cluster without the CRDs: the CRDs first, then the custom resources', async () => {
    const creates = (r: DeployResult, type: string) => r.changes.filter((c) => c.op === 'create' && c.type === type).map((c) => c.name).sort();
    const crds = CRD_NAMES.map((name) => `operators-crd-${name}`).sort();
    expect(creates(fresh, 'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition')).toEqual(crds);
    expect(creates(fresh, 'kubernetes:kafka.strimzi.io/v1:KafkaTopic')).toHaveLength(6);
    expect(creates(fresh, 'kubernetes:cassandra.datastax.com/v1beta1:CassandraDatacenter')).toEqual(['platform-cassandradatacenter-mysimbdp-platform/dc1']);
    expect(creates(first, 'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition')).toEqual(crds);
    for (const name of CRD_NAMES) {
      const crd = await kubeRequest('GET', crdPath(name));
      expect(crd.body.status.conditions.find((c: { type: string }) => c.type === 'Established')?.status).toBe('True');
    }
    expect(fresh.summary.create).toBe(first.summary.create);
  });

  it('creates the platform and every tenant object, with the agreement\'s values', async () => {
    expect(first.summary.create).toBeGreaterThan(50);
    expect(new Set(first.changes.map((c) => c.group))).toEqual(new Set(['operators', 'platform', 'client_a', 'client_b']));
    const cron = await kubeRequest('GET', '/apis/batch/v1/namespaces/mysimbdp-client-b/cronjobs/client-b-amazon-product-review-data-batch');
    expect(cron.body.spec.schedule).toBe('*/1 * * * *');
    const stream = await kubeRequest('GET', '/apis/apps/v1/namespaces/mysimbdp-client-a/deployments/client-a-speed-tracking-data-stream');
    expect(stream.body.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } });
    const topic = await kubeRequest('GET', '/apis/kafka.strimzi.io/v1/namespaces/mysimbdp-platform/kafkatopics/client-b.amazon-product-review-data');
    expect(topic.body.spec.config['retention.ms']).toBe(3 * 86_400_000);
  });

  it("gives each tenant namespace its own Cassandra role, and the platform namespace its credentials file", async () => {
    const secret = async (namespace: string, name: string) => {
      const res = await kubeRequest('GET', `/api/v1/namespaces/${namespace}/secrets/${name}`);
      return Object.fromEntries(Object.entries(res.body.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    };
    const cassandra = await secret('mysimbdp-client-a', 'client-a-cassandra');
    await expect(cassandra.username).toBe('client_a');
    const platform = await secret('mysimbdp-platform', 'mysimbdp-cassandra-platform');
    await expect(platform.username).toBe('mysimbdp_platform');
    await expect(cassandra.password).not.toBe(platform.password);
    const credentials = parseCredentials((await secret('mysimbdp-platform', 'client-a-credentials'))['client_a.json'] as string, 'client_a.json');
    await expect(credentials.cassandra).toMatchObject({ username: 'client_a', password: cassandra.password });
    await expect(credentials.kafka.password).toBe((await secret('mysimbdp-client-a', 'client-a-kafka')).password);
    const job = await kubeRequest('GET', '/apis/batch/v1/namespaces/mysimbdp-platform/jobs/client-a-provision');
    await expect(job.body.spec.template.metadata.annotations['mysimbdp.io/credentials']).toMatch(/^[0-9a-f]{16}$/);
  });

  it("gives each tenant's stream its own monitor token, and the monitor the SHA-256 of each", async () => {
    const secret = async (namespace: string, name: string) => {
      const res = await kubeRequest('GET', `/api/v1/namespaces/${namespace}/secrets/${name}`);
      return Object.fromEntries(Object.entries(res.body.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    };
    const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
    const tokens = { client_a: (await secret('mysimbdp-client-a', 'client-a-monitor')).token as string, client_b: (await secret('mysimbdp-client-b', 'client-b-monitor')).token as string };
    await expect(tokens.client_a).not.toBe(tokens.client_b);
    await expect(JSON.parse((await secret('mysimbdp-platform', 'mysimbdp-monitor-tokens'))['tokens.json'] as string)).toEqual({ client_a: sha256(tokens.client_a), client_b: sha256(tokens.client_b) });
    const stream = await kubeRequest('GET', '/apis/apps/v1/namespaces/mysimbdp-client-a/deployments/client-a-speed-tracking-data-stream');
    await expect(stream.body.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'MONITOR_TOKEN')).toEqual({
      name: 'MONITOR_TOKEN',
      valueFrom: { secretKeyRef: { name: 'client-a-monitor', key: 'token', optional: false } },
    });
    const monitor = await kubeRequest('GET', '/apis/apps/v1/namespaces/mysimbdp-platform/deployments/mysimbdp-monitor');
    await expect(monitor.body.spec.template.metadata.annotations['mysimbdp.io/monitor-tokens']).toMatch(/^[0-9a-f]{16}$/);
  });

  it('a second deploy changes nothing', async () => {
    const again = await run('up');
    expect(changed(again)).toEqual([]);
    expect(again.summary).toEqual({ same: first.summary.create });
  });

  it('adding a tenant folder: the preview lists exactly that tenant\'s objects, as creates', async () => {
    addTenant('client_c');
    try {
      const preview = await run('preview');
      expect(changed(preview).length).toBeGreaterThan(15);
      expect(changed(preview).filter((c) => c.group === 'client_c' && c.op !== 'create')).toEqual([]);
      expect(outside(preview, 'client_c')).toEqual([]);
      await expect(changed(preview).filter((c) => c.name === MONITOR_TOKENS).map((c) => c.op)).toContain('replace');
      expect(text('preview')).toMatch(/^### pulumi preview of stack `local`: \d+ to create, 2 to update, 1 to replace, \d+ unchanged \(/);
    } finally {
      fs.rmSync(path.join(tenantsDir, 'client_c'), { recursive: true });
    }
  });

  it('changing one agreement\'s cpu limit: updates in that tenant only, and the new limit is applied', async () => {
    addTenant('client_a', (a) => (a.resources.limits.cpu = '750m'));
    const up = await run('up');
    expect(changed(up).length).toBeGreaterThan(0);
    expect(outside(up, 'client_a')).toEqual([]);
    // the limit is in the workloads, the quota and the limit range; immutable ones (the provision Job, the tenant ConfigMaps) are replaced
    expect(new Set(changed(up).filter((c) => c.group === 'client_a').map((c) => c.op))).toEqual(new Set(['update', 'replace', 'create-replacement', 'delete-replaced']));
    const stream = await kubeRequest('GET', '/apis/apps/v1/namespaces/mysimbdp-client-a/deployments/client-a-speed-tracking-data-stream');
    expect(stream.body.spec.template.spec.containers[0].resources.limits.cpu).toBe('750m');
  });

  it('removing a tenant deletes its objects and its namespace', async () => {
    fs.rmSync(path.join(tenantsDir, 'client_b'), { recursive: true });
    const up = await run('up');
    expect(changed(up).filter((c) => c.group === 'client_b' && c.op !== 'delete')).toEqual([]);
    expect(outside(up, 'client_b')).toEqual([]);
    const tokens = await kubeRequest('GET', '/api/v1/namespaces/mysimbdp-platform/secrets/mysimbdp-monitor-tokens');
    await expect(Object.keys(JSON.parse(Buffer.from(tokens.body.data['tokens.json'], 'base64').toString('utf8')))).toEqual(['client_a']);
    await gone('/api/v1/namespaces/mysimbdp-client-b');
    expect(await list('kafka.strimzi.io/v1', 'kafkatopics', undefined, 'mysimbdp.io/tenant=client_b')).toEqual([]);
  });

  it('--destroy leaves no mysimbdp object behind', async () => {
    const destroyed = await run('destroy');
    expect(destroyed.summary.delete).toBeGreaterThan(40);
    for (const ns of ['mysimbdp-platform', 'mysimbdp-client-a']) await gone(`/api/v1/namespaces/${ns}`);
    expect((await list('v1', 'namespaces')).map((n) => n.metadata.name).filter((n) => n.startsWith('mysimbdp-'))).toEqual([]);
    expect((await list('v1', 'persistentvolumes')).map((p) => p.metadata.name).filter((n) => n.startsWith('mysimbdp-'))).toEqual([]);
    // CRDs are never deleted: that would delete every resource of their kind, anyone's
    for (const name of CRD_NAMES) expect((await kubeRequest('GET', crdPath(name))).status).toBe(200);
  });
});
