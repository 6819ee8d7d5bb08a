import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { applyServerSide, eventually, failedCreates, id, kubeRequest, list, objectPath, readManifests, removeAll, type KubeObject } from '../../helpers/kube-api';
import { seed, writeTenants } from '../../helpers/tenant-files';

/** The seed tenants plus `client_cron`, a copy of client_a that fires every minute. */
function tenantsWithCron(): string {
  const cron = seed.agreementA();
  cron.client = 'client_cron';
  cron.schedule = '*/1 * * * *';
  const dataset = seed.datasetA();
  dataset.key_space = 'client_cron';
  return writeTenants({ client_a: { agreement: seed.agreementA(), dataset: seed.datasetA() }, client_b: { agreement: seed.agreementB(), dataset: seed.datasetB() }, client_cron: { agreement: cron, dataset } });
}

/** Pods owned by an owner (ReplicaSet or Job) of that uid. */
async function podsOf(namespace: string, ownerUid: string): Promise<KubeObject[]> {
  return (await list('v1', 'pods', namespace)).filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === ownerUid));
}

/** Why no Pod appeared: admission's refusals (FailedCreate events), else a plain timeout. */
async function refusal(namespace: string, what: string): Promise<string> {
  const refused = await failedCreates(namespace);
  return refused.length > 0 ? `${what}: Pod refused by admission:\n${refused.join('\n')}` : `${what}: no Pod within the time allowed`;
}

describe.each(['dev', 'prod'])('synth --stack %s applied to a real API server', (stack) => {
  let out: string;
  let objects: KubeObject[];
  let applied: string;

  beforeAll(async () => {
    const tenants = tenantsWithCron();
    out = fs.mkdtempSync(path.join(os.tmpdir(), `mysimbdp-synth-${stack}-`));
    const synth = runCli(['synth', '--tenants', tenants, '--stack', stack, '--out', out]);
    expect(synth.code, synth.stderr).toBe(0);
    objects = readManifests(out);
    await removeAll(objects); // what an interrupted earlier run left behind
    applied = await applyServerSide(out);
  });

  afterAll(async () => {
    if (objects !== undefined) await removeAll(objects);
  });

  it('accepts every object server-side, and each exists with what synth wrote', async () => {
    expect(applied.trim().split('\n')).toHaveLength(objects.length);
    for (const o of objects) {
      const res = await kubeRequest('GET', objectPath(o));
      expect(res.status, `${id(o)}: ${res.body?.message}`).toBe(200);
      expect(res.body.metadata.labels ?? {}).toMatchObject(o.metadata.labels ?? {});
    }
    const kinds = new Set(objects.map((o) => o.kind));
    expect([...kinds]).toEqual(expect.arrayContaining(['Kafka', 'KafkaTopic', 'KafkaUser', 'CassandraDatacenter', 'CronJob', 'Deployment', 'ResourceQuota', 'LimitRange']));
    if (stack === 'prod') expect([...kinds]).toEqual(expect.arrayContaining(['ScaledObject', 'TriggerAuthentication', 'PodMonitor', 'ServiceMonitor']));
  });

  it('every Deployment gets a ReplicaSet whose Pods pass admission (restricted Pod Security, quota, limit range)', async () => {
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    expect(deployments.length).toBeGreaterThanOrEqual(8);
    for (const d of deployments) {
      const namespace = d.metadata.namespace as string;
      const replicaSet = await eventually(
        async () => (await list('apps/v1', 'replicasets', namespace)).find((rs) => rs.metadata.ownerReferences?.some((r) => r.kind === 'Deployment' && r.name === d.metadata.name)),
        30_000,
        async () => `${id(d)}: no ReplicaSet`,
      );
      const pods = await eventually(
        async () => {
          const owned = await podsOf(namespace, replicaSet.metadata.uid as string);
          return owned.length === (d.spec.replicas ?? 1) ? owned : undefined;
        },
        30_000,
        () => refusal(namespace, id(d)),
      );
      // no kubelet: admitted Pods stay Pending, with the LimitRange's defaults and the quota's say applied
      for (const pod of pods) expect(pod.status.phase).toBe('Pending');
    }
  });

  it('the tenant namespaces enforce restricted Pod Security, and tenant Pods carry the agreement\'s resources', async () => {
    const ns = await kubeRequest('GET', '/api/v1/namespaces/mysimbdp-client-a');
    expect(ns.body.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const stream = (await list('v1', 'pods', 'mysimbdp-client-a')).find((p) => p.metadata.name.startsWith('client-a-speed-tracking-data-stream-'));
    expect(stream?.spec.containers[0].resources).toEqual({ requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } });
  });

  it("each provision Job gets its Pod in the platform namespace, as the platform role with the console role's login; no tenant Pod refers to either", async () => {
    for (const dns of ['client-a', 'client-b', 'client-cron']) {
      const job = await eventually(async () => (await list('batch/v1', 'jobs', 'mysimbdp-platform')).find((j) => j.metadata.name === `${dns}-provision`), 30_000, async () => `no Job ${dns}-provision`);
      const [pod] = await eventually(async () => {
        const owned = await podsOf('mysimbdp-platform', job.metadata.uid as string);
        return owned.length > 0 ? owned : undefined;
      }, 30_000, () => refusal('mysimbdp-platform', `Job ${job.metadata.name}`));
      await expect(pod?.spec.serviceAccountName).toBe('default');
      await expect(pod?.spec.containers[0].args).toEqual(['provision', '--tenants', '/etc/mysimbdp/tenants', '--credentials-dir', '/etc/mysimbdp/credentials', '--no-kafka']);
      const text = JSON.stringify(pod?.spec);
      // the credentials folder is a projected volume: the tenant's file and the console role's
      for (const secret of [`"name":"${dns}-credentials"`, '"name":"mysimbdp-cassandra-console"', '"name":"mysimbdp-cassandra-platform"']) await expect(text).toContain(secret);
    }
    for (const dns of ['client-a', 'client-b', 'client-cron']) {
      const pods = await list('v1', 'pods', `mysimbdp-${dns}`);
      await expect(pods.length).toBeGreaterThan(0);
      for (const secret of ['mysimbdp-cassandra-platform', 'mysimbdp-cassandra-console']) await expect(JSON.stringify(pods.map((p) => p.spec))).not.toContain(secret);
    }
  });

  it("only the stream Pods refer to their tenant's monitor token; the monitor's Pod mounts the tokens' digests", async () => {
    for (const dns of ['client-a', 'client-b', 'client-cron']) {
      const pods = await list('v1', 'pods', `mysimbdp-${dns}`);
      const readers = pods.filter((p) => JSON.stringify(p.spec).includes(`"name":"${dns}-monitor"`)).map((p) => p.metadata.labels?.['app.kubernetes.io/component']);
      await expect(new Set(readers)).toEqual(new Set(['stream']));
    }
    const monitor = await eventually(
      async () => (await list('v1', 'pods', 'mysimbdp-platform')).find((p) => p.metadata.labels?.['app.kubernetes.io/instance'] === 'mysimbdp-monitor'),
      30_000,
      () => refusal('mysimbdp-platform', 'Deployment mysimbdp-monitor'),
    );
    await expect(JSON.stringify(monitor.spec)).toContain('"secretName":"mysimbdp-monitor-tokens"');
  });

  it('the real CronJob controller starts a Job for a */1 schedule within two minutes, and its Pod is admitted', async () => {
    const namespace = 'mysimbdp-client-cron';
    const cronJob = objects.find((o) => o.kind === 'CronJob' && o.metadata.namespace === namespace) as KubeObject;
    expect(cronJob.spec.schedule).toBe('*/1 * * * *');
    const job = await eventually(
      async () => (await list('batch/v1', 'jobs', namespace)).find((j) => j.metadata.ownerReferences?.some((r) => r.kind === 'CronJob' && r.name === cronJob.metadata.name)),
      125_000,
      async () => `${id(cronJob)}: no Job within two minutes`,
    );
    const [pod] = await eventually(async () => {
      const owned = await podsOf(namespace, job.metadata.uid as string);
      return owned.length > 0 ? owned : undefined;
    }, 30_000, () => refusal(namespace, `Job ${job.metadata.name}`));
    expect(pod?.spec.containers[0].args).toEqual(['batch']);
  });

  it('deleting the namespaces leaves nothing of any tenant: no object, no Pod, Job or ReplicaSet the controllers made', async () => {
    await removeAll(objects);
    for (const client of ['client_a', 'client_b', 'client_cron']) {
      for (const [apiVersion, plural] of [['v1', 'pods'], ['batch/v1', 'jobs'], ['apps/v1', 'replicasets'], ['v1', 'persistentvolumes'], ['kafka.strimzi.io/v1', 'kafkatopics']] as const) {
        await expect(list(apiVersion, plural, undefined, `mysimbdp.io/tenant=${client}`)).resolves.toEqual([]);
      }
    }
    const namespaces = (await list('v1', 'namespaces')).map((n) => n.metadata.name);
    expect(namespaces.filter((n) => n.startsWith('mysimbdp-'))).toEqual([]);
  });
});
