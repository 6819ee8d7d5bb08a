import { createHash, createHmac } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { seed, writeTenants } from '../../helpers/tenant-files';
import type { StackConfigKey, StackSettings } from '../../../infra/stack/stack-settings';
import { parseCassandraCredentials, parseCredentials } from '../../../infra/credentials';
import { JDBC_SINK, SEED_TENANTS_DIR, secretRefs, TEST_STACK, testSettings, withAgreement } from '../fixtures';
import { synthesize } from '../../../infra/synth/synthesize';
import { loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import type { Tenant } from '../../../infra/tenant/types';
// Importing creates no resource; deployStack runs only after setMocks (beforeAll).
import * as program from '../../../infra/pulumi/program';
import type { StackArgs, StackDeployment } from '../../../infra/pulumi/program';
import type { StackSecrets } from '../../../infra/pulumi/stack-secrets';

// The Pulumi program under pulumi.runtime.setMocks: every resource registration is recorded with
// its resolved inputs, so tests see exactly what `pulumi up` would send to the engine.

interface Recorded {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

let recorded: Recorded[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    'mysimbdp',
    'test',
    false,
  );
});

/** Runs the program and waits until every resource has been registered. */
async function run(register: () => StackDeployment): Promise<Recorded[]> {
  recorded = [];
  const deployment = register();
  const components = [deployment.operators, deployment.platform, ...deployment.tenants.values()];
  const urns = [
    ...components.map((c) => c.urn),
    ...deployment.operators.dependencies.map((r) => r.urn),
    ...[deployment.platform, ...deployment.tenants.values()].flatMap((c) => c.resources.map((r) => r.urn)),
  ];
  await new Promise<void>((resolve) => pulumi.all(urns).apply(() => resolve()));
  return [...recorded].sort((a, b) => a.name.localeCompare(b.name));
}

const deploy = (args: StackArgs): Promise<Recorded[]> => run(() => program.deployStack(args));

const CONFIG: Partial<Record<StackConfigKey, string>> = { ...TEST_STACK, installPrometheus: 'true' };
const settingsWith = (over: Partial<Record<StackConfigKey, string>> = {}): StackSettings => testSettings({ ...CONFIG, ...over });
const SECRETS: StackSecrets = {
  apiTokens: pulumi.secret('{"client_a":"ab12"}'),
  apiOperatorTokens: pulumi.secret('{"ops":"cd34"}'),
  cassandraPassword: pulumi.secret('cassandra-pw'),
  tenantPasswordSeed: pulumi.secret('seed-1'),
};
const seedTenants = (): Tenant[] => loadTenantsOrThrow(SEED_TENANTS_DIR);

/** Pulumi marks secret values with this signature key when it serializes them. */
const SECRET_SIG = '4dabf18193072939515e22adb298388d';
const isSecret = (v: unknown): boolean => typeof v === 'object' && v !== null && SECRET_SIG in v;
const unwrap = (v: unknown): unknown => (isSecret(v) ? (v as { value: unknown }).value : v);

const byName = (res: readonly Recorded[], name: string): Recorded => {
  const found = res.find((r) => r.name === name);
  if (found === undefined) throw new Error(`no resource ${name}; have ${res.map((r) => r.name).join(', ')}`);
  return found;
};
const spec = (r: Recorded): Record<string, any> => r.inputs.spec as Record<string, any>;

describe('deployStack', () => {
  it('gives each tenant one component holding its synthesized objects and its Secrets, nothing else', async () => {
    const tenants = seedTenants();
    const settings = settingsWith();
    const res = await deploy({ settings, tenants, secrets: SECRETS });
    const manifests = synthesize(tenants, settings);
    for (const tenant of tenants) {
      const objects = manifests.tenants.get(tenant.client) ?? [];
      const expected = [
        ...objects.map((o) => `${tenant.client}-${o.kind.toLowerCase()}-${o.metadata.namespace === undefined ? '' : `${o.metadata.namespace}/`}${o.metadata.name}`),
        `${tenant.client}-cassandra`,
        `${tenant.client}-credentials`,
        `${tenant.client}-kafka-password`,
        `${tenant.client}-kafka-password-platform`,
        `${tenant.client}-monitor-token`,
      ].sort();
      const mine = res.filter((r) => r.name.startsWith(`${tenant.client}-`)).map((r) => r.name).sort();
      expect(mine).toEqual(expected);
      expect(byName(res, tenant.client).type).toBe('mysimbdp:tenant:Tenant');
    }
    // At least these kinds (the tenant chart may add more; the exact set is checked above).
    const clientA = new Set(res.filter((r) => r.name.startsWith('client_a-')).map((r) => r.type.replace(/^kubernetes:/, '')));
    expect([...clientA]).toEqual(
      expect.arrayContaining([
        'core/v1:Namespace',
        'core/v1:ResourceQuota',
        'core/v1:LimitRange',
        'core/v1:ServiceAccount',
        'core/v1:ConfigMap',
        'core/v1:PersistentVolume',
        'core/v1:PersistentVolumeClaim',
        'core/v1:Secret',
        'networking.k8s.io/v1:NetworkPolicy',
        'kafka.strimzi.io/v1:KafkaTopic',
        'kafka.strimzi.io/v1:KafkaUser',
        'batch/v1:Job',
        'batch/v1:CronJob',
        'apps/v1:Deployment',
      ]),
    );
  });

  it('puts the platform and the enabled operators in their own components', async () => {
    const res = await deploy({ settings: settingsWith({ installKeda: 'true', installStrimzi: 'false' }), tenants: seedTenants(), secrets: SECRETS });
    expect(byName(res, 'platform').type).toBe('mysimbdp:platform:Platform');
    expect(byName(res, 'operators').type).toBe('mysimbdp:platform:Operators');
    expect(res.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release').map((r) => r.name)).toEqual(['operators-cassOperator', 'operators-keda', 'operators-prometheus']);
    expect(byName(res, 'operators-cassOperator').inputs).toMatchObject({
      chart: 'cass-operator',
      namespace: 'cass-operator',
      repositoryOpts: { repo: 'https://helm.k8ssandra.io/stable' },
      values: { global: { clusterScoped: true, watchNamespaces: ['mysimbdp-platform'] }, admissionWebhooks: { enabled: false } },
    });
    expect(byName(res, 'platform-kafka-mysimbdp-platform/mysimbdp').type).toBe('kubernetes:kafka.strimzi.io/v1:Kafka');
    expect(byName(res, 'platform-deployment-mysimbdp-platform/mysimbdp-api').type).toBe('kubernetes:apps/v1:Deployment');
  });

  it('installs the CRDs the constructs were typed from as resources of their own, unless installCrds is off', async () => {
    const res = await deploy({ settings: settingsWith(), tenants: seedTenants(), secrets: SECRETS });
    const crds = res.filter((r) => r.type === 'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition');
    expect(crds.map((r) => r.name)).toEqual([
      'operators-crd-cassandradatacenters.cassandra.datastax.com',
      'operators-crd-kafkaconnectors.kafka.strimzi.io',
      'operators-crd-kafkaconnects.kafka.strimzi.io',
      'operators-crd-kafkanodepools.kafka.strimzi.io',
      'operators-crd-kafkas.kafka.strimzi.io',
      'operators-crd-kafkatopics.kafka.strimzi.io',
      'operators-crd-kafkausers.kafka.strimzi.io',
    ]);
    expect((spec(byName(res, 'operators-crd-kafkatopics.kafka.strimzi.io')).versions as { name: string }[]).map((v) => v.name)).toEqual(['v1']);
    // the charts keep installing the CRDs the platform does not make (StrimziPodSet, …): Helm skips existing ones
    expect(res.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release').map((r) => [r.name, r.inputs.skipCrds])).toEqual([
      ['operators-cassOperator', undefined],
      ['operators-prometheus', undefined],
      ['operators-strimzi', undefined],
    ]);
    const without = await deploy({ settings: settingsWith({ installCrds: 'false' }), tenants: seedTenants(), secrets: SECRETS });
    expect(without.filter((r) => r.type.endsWith(':CustomResourceDefinition'))).toEqual([]);
  });

  it('carries stack config from pulumi.Config into the objects: image tag, replicas, storage class', async () => {
    pulumi.runtime.setAllConfig({
      ...Object.fromEntries(Object.entries(CONFIG).map(([k, v]) => [`mysimbdp:${k}`, v as string])),
      'mysimbdp:imageTag': '4.5.6',
      'mysimbdp:kafkaBrokers': '5',
      'mysimbdp:cassandraNodes': '5',
      'mysimbdp:apiReplicas': '4',
      'mysimbdp:storageClass': 'gold',
    });
    const settings = program.settingsFromConfig(new pulumi.Config('mysimbdp'), 'test');
    const res = await deploy({ settings, tenants: seedTenants(), secrets: SECRETS });

    const images = res
      .filter((r) => ['kubernetes:apps/v1:Deployment', 'kubernetes:batch/v1:CronJob', 'kubernetes:batch/v1:Job'].includes(r.type))
      .flatMap((r) => {
        const s = spec(r);
        const pod = r.type.endsWith('CronJob') ? s.jobTemplate.spec.template.spec : s.template.spec;
        return (pod.containers as { image: string }[]).map((c) => c.image);
      });
    expect(images.length).toBeGreaterThanOrEqual(8);
    expect(new Set(images)).toEqual(new Set(['registry.test/mysimbdp/ingest:4.5.6']));
    expect(spec(byName(res, 'platform-kafkanodepool-mysimbdp-platform/dual'))).toMatchObject({ replicas: 5, storage: { class: 'gold' } });
    expect(spec(byName(res, 'platform-cassandradatacenter-mysimbdp-platform/dc1'))).toMatchObject({
      size: 5,
      storageConfig: { cassandraDataVolumeClaimSpec: { storageClassName: 'gold' } },
    });
    expect(spec(byName(res, 'platform-deployment-mysimbdp-platform/mysimbdp-api')).replicas).toBe(4);
  });

  it('runs from stack config and TENANTS_DIR like `pulumi up` (runFromConfig)', async () => {
    pulumi.runtime.setAllConfig(
      {
        ...Object.fromEntries(Object.entries(CONFIG).map(([k, v]) => [`mysimbdp:${k}`, v as string])),
        'mysimbdp:cassandraPassword': 'pw',
        'mysimbdp:tenantPasswordSeed': 'seed',
      },
      ['mysimbdp:cassandraPassword', 'mysimbdp:tenantPasswordSeed'],
    );
    let deployment: StackDeployment | undefined;
    const res = await run(() => {
      deployment = program.runFromConfig({ TENANTS_DIR: SEED_TENANTS_DIR });
      return deployment;
    });
    expect([...(deployment?.tenants.keys() ?? [])]).toEqual(['client_a', 'client_b']);
    await expect(unwrap(byName(res, 'platform-cassandra').inputs.stringData)).toEqual({ username: 'mysimbdp_platform', password: 'pw' });
    expect(unwrap(byName(res, 'platform-api-tokens').inputs.stringData)).toEqual({ 'tokens.json': '{}', 'operator-tokens.json': '{}' });
    await expect(Object.keys(JSON.parse((unwrap(byName(res, 'platform-monitor-tokens').inputs.stringData) as Record<string, string>)['tokens.json'] as string))).toEqual(['client_a', 'client_b']);
  });

  it('changes only the edited tenant\'s resources when one tenant file changes', async () => {
    const settings = settingsWith();
    const files = (schedule: string) =>
      writeTenants({
        client_a: { agreement: { ...seed.agreementA(), schedule }, dataset: seed.datasetA() },
        client_b: { agreement: seed.agreementB(), dataset: seed.datasetB() },
      });
    const before = await deploy({ settings, tenants: loadTenantsOrThrow(files('0 * * * *')), secrets: SECRETS });
    const after = await deploy({ settings, tenants: loadTenantsOrThrow(files('*/10 * * * *')), secrets: SECRETS });

    expect(after.map((r) => r.name)).toEqual(before.map((r) => r.name));
    const changed = after.filter((r, i) => JSON.stringify(r.inputs) !== JSON.stringify(before[i]?.inputs)).map((r) => r.name);
    // The tenant's files (ConfigMaps) and its CronJob; no platform, operator or client_b resource.
    expect(changed.filter((n) => !n.startsWith('client_a-'))).toEqual([]);
    expect(changed).toContain('client_a-configmap-mysimbdp-client-a/client-a-tenant');
    expect(changed).toContain('client_a-cronjob-mysimbdp-client-a/client-a-speed-tracking-data-batch');
    expect(spec(byName(after, 'client_a-cronjob-mysimbdp-client-a/client-a-speed-tracking-data-batch')).schedule).toBe('*/10 * * * *');
  });

  it('creates every credential as a Pulumi secret and never puts one in a manifest', async () => {
    const tenants = seedTenants();
    const settings = settingsWith();
    const res = await deploy({ settings, tenants, secrets: SECRETS });
    const secrets = res.filter((r) => r.type === 'kubernetes:core/v1:Secret');
    expect(secrets.map((r) => `${(r.inputs.metadata as any).namespace}/${(r.inputs.metadata as any).name}`).sort()).toEqual([
      'mysimbdp-client-a/client-a-cassandra',
      'mysimbdp-client-a/client-a-kafka',
      'mysimbdp-client-a/client-a-monitor',
      'mysimbdp-client-b/client-b-cassandra',
      'mysimbdp-client-b/client-b-kafka',
      'mysimbdp-client-b/client-b-monitor',
      'mysimbdp-platform/client-a-credentials',
      'mysimbdp-platform/client-a-kafka',
      'mysimbdp-platform/client-b-credentials',
      'mysimbdp-platform/client-b-kafka',
      'mysimbdp-platform/mysimbdp-api-tokens',
      'mysimbdp-platform/mysimbdp-cassandra-console',
      'mysimbdp-platform/mysimbdp-cassandra-platform',
      'mysimbdp-platform/mysimbdp-monitor-operator',
      'mysimbdp-platform/mysimbdp-monitor-tokens',
    ]);
    for (const s of secrets) expect(isSecret(s.inputs.stringData)).toBe(true);

    const password = (name: string) => (unwrap(byName(res, name).inputs.stringData) as { password: string }).password;
    expect(password('client_a-kafka-password')).toBe(password('client_a-kafka-password-platform'));
    expect(password('client_a-kafka-password')).not.toBe(password('client_b-kafka-password'));
    expect(password('client_a-kafka-password')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(unwrap(byName(res, 'platform-api-tokens').inputs.stringData)).toEqual({ 'tokens.json': '{"client_a":"ab12"}', 'operator-tokens.json': '{"ops":"cd34"}' });

    const manifests = synthesize(tenants, settings);
    const text = JSON.stringify([manifests.platform, ...manifests.tenants.values()]);
    const monitorToken = (unwrap(byName(res, 'client_a-monitor-token').inputs.stringData) as { token: string }).token;
    const apiAtMonitor = (unwrap(byName(res, 'platform-monitor-operator').inputs.stringData) as { token: string }).token;
    for (const value of ['cassandra-pw', 'seed-1', 'ab12', 'cd34', password('client_a-kafka-password'), password('platform-cassandra-console'), monitorToken, apiAtMonitor]) expect(text).not.toContain(value);
  });

  describe('tenant credentials', () => {
    const metadataOf = (r: Recorded) => r.inputs.metadata as { name: string; namespace?: string };
    const data = (res: readonly Recorded[], name: string) => unwrap(byName(res, name).inputs.stringData) as Record<string, string>;
    // every option that adds a Secret: client_a encrypts and has connectors with a push Secret
    const tenants = (): Tenant[] => seedTenants().map((t) => (t.client === 'client_a' ? withAgreement(t, { encryption: true, connectors: [JDBC_SINK] }) : t));
    const secrets: StackSecrets = {
      ...SECRETS,
      encryptionKeys: pulumi.secret(JSON.stringify({ client_a: { current: 'k1', keys: { k1: 'AAAA' } } })),
      connectRegistryAuth: pulumi.secret(JSON.stringify({ auths: {} })),
    };
    const deployAll = () => deploy({ settings: settingsWith({ connectPushSecret: 'registry-push' }), tenants: tenants(), secrets });

    it("gives each tenant namespace the tenant's own Cassandra role and Kafka password, never the platform's", async () => {
      const res = await deployAll();
      for (const [client, dns] of [['client_a', 'client-a'], ['client_b', 'client-b']] as const) {
        await expect(metadataOf(byName(res, `${client}-cassandra`))).toMatchObject({ name: `${dns}-cassandra`, namespace: `mysimbdp-${dns}` });
        const cassandra = data(res, `${client}-cassandra`);
        await expect(cassandra.username).toBe(client);
        await expect(cassandra.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
        await expect(cassandra.password).not.toBe('cassandra-pw');
        await expect(cassandra.password).not.toBe(data(res, `${client}-kafka-password`).password);
      }
      await expect(data(res, 'client_a-cassandra').password).not.toBe(data(res, 'client_b-cassandra').password);
    });

    it('lets no tenant-namespace object or Secret refer to or hold the platform role or another tenant', async () => {
      const res = await deployAll();
      const platformPassword = 'cassandra-pw';
      for (const [dns, other] of [['client-a', 'client_b'], ['client-b', 'client_a']] as const) {
        const inNamespace = res.filter((r) => r.type.startsWith('kubernetes:') && metadataOf(r)?.namespace === `mysimbdp-${dns}`);
        await expect(inNamespace.length).toBeGreaterThan(10);
        const own = new Set([`${dns}-kafka`, `${dns}-cassandra`, `${dns}-keys`, `${dns}-monitor`, 'registry-push']);
        await expect(inNamespace.flatMap((r) => secretRefs(r.inputs)).filter((name) => !own.has(name))).toEqual([]);
        // no value of the platform's or of the other tenant's credentials, anywhere in the namespace
        const text = JSON.stringify(inNamespace.map((r) => r.inputs));
        const digests = Object.values(JSON.parse(data(res, 'platform-monitor-tokens')['tokens.json'] as string) as Record<string, string>);
        for (const value of [
          platformPassword,
          'mysimbdp_platform',
          'mysimbdp-cassandra-platform',
          'mysimbdp-monitor-tokens',
          data(res, `${other}-cassandra`).password,
          data(res, `${other}-kafka-password`).password,
          data(res, `${other}-monitor-token`).token,
          ...digests,
        ]) {
          await expect(text).not.toContain(value);
        }
      }
    });

    it('puts each tenant\'s credentials file, as a secret, in the platform namespace for its provision Job only', async () => {
      const res = await deployAll();
      for (const [client, dns] of [['client_a', 'client-a'], ['client_b', 'client-b']] as const) {
        const secret = byName(res, `${client}-credentials`);
        await expect(metadataOf(secret)).toMatchObject({ name: `${dns}-credentials`, namespace: 'mysimbdp-platform' });
        await expect(isSecret(secret.inputs.stringData)).toBe(true);
        const files = data(res, `${client}-credentials`);
        await expect(Object.keys(files)).toEqual([`${client}.json`]);
        await expect(parseCredentials(files[`${client}.json`] as string, `${client}.json`)).toEqual({
          kafka: { bootstrap: 'mysimbdp-kafka-bootstrap.mysimbdp-platform.svc:9092', mechanism: 'scram-sha-512', username: dns, password: data(res, `${client}-kafka-password`).password },
          cassandra: { contact_points: 'mysimbdp-dc1-service.mysimbdp-platform.svc:9042', local_dc: 'dc1', username: client, password: data(res, `${client}-cassandra`).password },
        });
        const readers = res.filter((r) => secretRefs(r.inputs).includes(`${dns}-credentials`)).map((r) => r.name);
        await expect(readers).toEqual([`${client}-job-mysimbdp-platform/${dns}-provision`]);
      }
    });

    it("gives each tenant's stream, and nothing else, its own monitor token, none of its passwords", async () => {
      const res = await deployAll();
      for (const [client, dns] of [['client_a', 'client-a'], ['client_b', 'client-b']] as const) {
        await expect(metadataOf(byName(res, `${client}-monitor-token`))).toMatchObject({ name: `${dns}-monitor`, namespace: `mysimbdp-${dns}` });
        const { token, ...rest } = data(res, `${client}-monitor-token`);
        await expect(rest).toEqual({});
        await expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        await expect([data(res, `${client}-kafka-password`).password, data(res, `${client}-cassandra`).password]).not.toContain(token);
        const readers = res.filter((r) => secretRefs(r.inputs).includes(`${dns}-monitor`)).map((r) => r.name);
        const streams = res.filter((r) => r.type === 'kubernetes:apps/v1:Deployment' && r.name.startsWith(`${client}-`) && r.name.endsWith('-stream')).map((r) => r.name);
        await expect(streams).toHaveLength(1);
        await expect(readers).toEqual(streams);
      }
      await expect(data(res, 'client_a-monitor-token').token).not.toBe(data(res, 'client_b-monitor-token').token);
    });

    it("gives the monitor, as a secret, the SHA-256 of every tenant's monitor token, and mounts it", async () => {
      const res = await deployAll();
      const secret = byName(res, 'platform-monitor-tokens');
      await expect(metadataOf(secret)).toMatchObject({ name: 'mysimbdp-monitor-tokens', namespace: 'mysimbdp-platform' });
      await expect(isSecret(secret.inputs.stringData)).toBe(true);
      const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
      await expect(JSON.parse(data(res, 'platform-monitor-tokens')['tokens.json'] as string)).toEqual({
        client_a: sha256(data(res, 'client_a-monitor-token').token as string),
        client_b: sha256(data(res, 'client_b-monitor-token').token as string),
      });
      const monitor = byName(res, 'platform-deployment-mysimbdp-platform/mysimbdp-monitor');
      await expect(secretRefs(monitor.inputs)).toEqual(['mysimbdp-monitor-tokens', 'mysimbdp-monitor-operator']);
      await expect(spec(monitor).template.spec.containers[0].args).toEqual(['monitor', '--port', '8081', '--tokens', '/etc/mysimbdp/monitor-tokens/tokens.json']);
      const readers = res.filter((r) => secretRefs(r.inputs).includes('mysimbdp-monitor-tokens')).map((r) => r.name);
      await expect(readers).toEqual(['platform-deployment-mysimbdp-platform/mysimbdp-monitor']);
    });

    it('rolls the monitor through a readable digest when a token changes (a new seed, a tenant added or removed), not otherwise', async () => {
      const monitor = (res: readonly Recorded[]) => byName(res, 'platform-deployment-mysimbdp-platform/mysimbdp-monitor');
      const digest = (res: readonly Recorded[]) => (spec(monitor(res)).template.metadata.annotations as Record<string, string>)['mysimbdp.io/monitor-tokens'];
      const before = await deployAll();
      await expect(isSecret(monitor(before).inputs.spec)).toBe(false);
      await expect(digest(before)).toMatch(/^[0-9a-f]{16}$/);
      await expect(digest(await deployAll())).toBe(digest(before));
      const settings = settingsWith({ connectPushSecret: 'registry-push' });
      const rotated = await deploy({ settings, tenants: tenants(), secrets: { ...secrets, tenantPasswordSeed: pulumi.secret('seed-2') } });
      await expect(digest(rotated)).not.toBe(digest(before));
      await expect(data(rotated, 'client_a-monitor-token').token).not.toBe(data(before, 'client_a-monitor-token').token);
      const fewer = await deploy({ settings, tenants: tenants().filter((t) => t.client === 'client_a'), secrets });
      await expect(digest(fewer)).not.toBe(digest(before));
    });

    it("gives the console role a login of its own, derived from the seed, read only by the upload API and the provision Jobs", async () => {
      const res = await deployAll();
      const secret = byName(res, 'platform-cassandra-console');
      await expect(metadataOf(secret)).toMatchObject({ name: 'mysimbdp-cassandra-console', namespace: 'mysimbdp-platform' });
      await expect(isSecret(secret.inputs.stringData)).toBe(true);
      const { username, password, 'mysimbdp_console.json': file, ...rest } = data(res, 'platform-cassandra-console');
      await expect(rest).toEqual({});
      await expect(username).toBe('mysimbdp_console');
      await expect(password).toBe(createHmac('sha256', 'seed-1').update('console:cassandra').digest('base64url'));
      await expect([data(res, 'platform-cassandra').password, data(res, 'client_a-cassandra').password, data(res, 'client_b-cassandra').password]).not.toContain(password);
      await expect(parseCassandraCredentials(file as string, 'mysimbdp_console.json')).toEqual({
        cassandra: { contact_points: 'mysimbdp-dc1-service.mysimbdp-platform.svc:9042', local_dc: 'dc1', username: 'mysimbdp_console', password },
      });
      const readers = res.filter((r) => secretRefs(r.inputs).includes('mysimbdp-cassandra-console')).map((r) => r.name);
      await expect(readers).toEqual(['client_a-job-mysimbdp-platform/client-a-provision', 'client_b-job-mysimbdp-platform/client-b-provision', 'platform-deployment-mysimbdp-platform/mysimbdp-api']);
      const env = Object.fromEntries((spec(byName(res, 'platform-deployment-mysimbdp-platform/mysimbdp-api')).template.spec.containers[0].env as { name: string; value?: string; valueFrom?: any }[]).map((e) => [e.name, e.value ?? `${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`]));
      await expect(env).toMatchObject({ CASSANDRA_USERNAME: 'mysimbdp-cassandra-console/username', CASSANDRA_PASSWORD: 'mysimbdp-cassandra-console/password', MONITOR_URL: 'http://mysimbdp-monitor.mysimbdp-platform.svc:8081' });
    });

    it("gives the upload API an operator token at the monitor, derived from the seed, and the monitor only its SHA-256", async () => {
      const res = await deployAll();
      const secret = byName(res, 'platform-monitor-operator');
      await expect(metadataOf(secret)).toMatchObject({ name: 'mysimbdp-monitor-operator', namespace: 'mysimbdp-platform' });
      await expect(isSecret(secret.inputs.stringData)).toBe(true);
      const { token, 'operator-tokens.json': digests } = data(res, 'platform-monitor-operator');
      await expect(token).toBe(createHmac('sha256', 'seed-1').update('console:monitor').digest('base64url'));
      await expect(JSON.parse(digests as string)).toEqual({ upload_api: createHash('sha256').update(token as string, 'utf8').digest('hex') });
      const volumeOf = (name: string) =>
        (spec(byName(res, name)).template.spec.volumes as { secret?: { secretName: string; items: { key: string }[] } }[]).find((v) => v.secret?.secretName === 'mysimbdp-monitor-operator');
      // each takes only its key: the API the token, the monitor the digest
      await expect(volumeOf('platform-deployment-mysimbdp-platform/mysimbdp-api')?.secret?.items.map((i) => i.key)).toEqual(['token']);
      await expect(volumeOf('platform-deployment-mysimbdp-platform/mysimbdp-monitor')?.secret?.items.map((i) => i.key)).toEqual(['operator-tokens.json']);
      const readers = res.filter((r) => secretRefs(r.inputs).includes('mysimbdp-monitor-operator')).map((r) => r.name);
      await expect(readers).toEqual(['platform-deployment-mysimbdp-platform/mysimbdp-api', 'platform-deployment-mysimbdp-platform/mysimbdp-monitor']);
    });

    it('rolls the upload API through a readable digest when its tokens, operator tokens or derived secrets change, not otherwise', async () => {
      const api = (res: readonly Recorded[]) => byName(res, 'platform-deployment-mysimbdp-platform/mysimbdp-api');
      const digest = (res: readonly Recorded[]) => (spec(api(res)).template.metadata.annotations as Record<string, string>)['mysimbdp.io/api-secrets'];
      const settings = settingsWith({ connectPushSecret: 'registry-push' });
      const before = await deployAll();
      await expect(isSecret(api(before).inputs.spec)).toBe(false);
      await expect(digest(before)).toMatch(/^[0-9a-f]{16}$/);
      await expect(digest(await deployAll())).toBe(digest(before));
      for (const changed of [{ apiTokens: pulumi.secret('{"client_a":"ef56"}') }, { apiOperatorTokens: pulumi.secret('{}') }, { tenantPasswordSeed: pulumi.secret('seed-2') }]) {
        await expect(digest(await deploy({ settings, tenants: tenants(), secrets: { ...secrets, ...changed } }))).not.toBe(digest(before));
      }
    });

    it('runs the provision Job in the platform namespace as the platform role, re-run by a new seed through a readable digest', async () => {
      const job = (res: readonly Recorded[]) => byName(res, 'client_b-job-mysimbdp-platform/client-b-provision');
      const annotations = (r: Recorded) => spec(r).template.metadata.annotations as Record<string, string>;
      const before = await deployAll();
      await expect(metadataOf(job(before)).namespace).toBe('mysimbdp-platform');
      await expect(new Set(secretRefs(job(before).inputs))).toEqual(new Set(['mysimbdp-cassandra-platform', 'client-b-credentials', 'mysimbdp-cassandra-console']));
      await expect(isSecret(job(before).inputs.spec)).toBe(false);
      await expect(annotations(job(before))).toEqual({ 'mysimbdp.io/provision-inputs': expect.stringMatching(/^[0-9a-f]{16}$/), 'mysimbdp.io/credentials': expect.stringMatching(/^[0-9a-f]{16}$/) });
      const again = await deployAll();
      await expect(annotations(job(again))).toEqual(annotations(job(before)));
      const rotated = await deploy({ settings: settingsWith({ connectPushSecret: 'registry-push' }), tenants: tenants(), secrets: { ...secrets, tenantPasswordSeed: pulumi.secret('seed-2') } });
      await expect(annotations(job(rotated))['mysimbdp.io/credentials']).not.toBe(annotations(job(before))['mysimbdp.io/credentials']);
      await expect(annotations(job(rotated))['mysimbdp.io/provision-inputs']).toBe(annotations(job(before))['mysimbdp.io/provision-inputs']);
    });
  });

  it('makes the key Secret of an encrypting tenant from mysimbdp:encryptionKeys', async () => {
    const dir = writeTenants({ client_a: { agreement: { ...seed.agreementA(), encryption: true }, dataset: seed.datasetA() } });
    const tenants = loadTenantsOrThrow(dir);
    const keys = pulumi.secret(JSON.stringify({ client_a: { current: 'k2', keys: { k1: 'AAAA', k2: 'BBBB' } } }));
    const res = await deploy({ settings: settingsWith(), tenants, secrets: { ...SECRETS, encryptionKeys: keys } });
    for (const [name, namespace] of [['client_a-keys', 'mysimbdp-client-a'], ['client_a-keys-platform', 'mysimbdp-platform']] as const) {
      const secret = byName(res, name);
      expect(secret.inputs.metadata).toMatchObject({ name: 'client-a-keys', namespace });
      expect(isSecret(secret.inputs.stringData)).toBe(true);
      expect(unwrap(secret.inputs.stringData)).toEqual({ current: 'k2', 'k1.key': 'AAAA', 'k2.key': 'BBBB' });
    }
  });

  it('refuses an encrypting tenant when the stack has no encryption keys', async () => {
    const dir = writeTenants({ client_a: { agreement: { ...seed.agreementA(), encryption: true }, dataset: seed.datasetA() } });
    expect(() => program.deployStack({ settings: settingsWith(), tenants: loadTenantsOrThrow(dir), secrets: SECRETS })).toThrow(
      'tenant "client_a" asks for encryption but stack secret mysimbdp:encryptionKeys is not set',
    );
  });

  describe('Kafka Connect push Secret', () => {
    const DOCKER_CONFIG = JSON.stringify({ auths: { 'registry.test': { auth: 'dXNlcjpwdw==' } } });
    // client_a has connectors, client_b none.
    const tenants = (): Tenant[] => seedTenants().map((t) => (t.client === 'client_a' ? withAgreement(t, { connectors: [JDBC_SINK] }) : t));
    const pushSecrets = (res: readonly Recorded[]) => res.filter((r) => r.type === 'kubernetes:core/v1:Secret' && r.inputs.type === 'kubernetes.io/dockerconfigjson');

    it('is made, as a secret, only in the namespaces of tenants with connectors, under the name the KafkaConnect refers to', async () => {
      const settings = settingsWith({ connectPushSecret: 'registry-push' });
      const res = await deploy({ settings, tenants: tenants(), secrets: { ...SECRETS, connectRegistryAuth: pulumi.secret(DOCKER_CONFIG) } });
      expect(pushSecrets(res).map((r) => r.name)).toEqual(['client_a-connect-push']);
      const secret = byName(res, 'client_a-connect-push');
      expect(secret.inputs.metadata).toMatchObject({ name: 'registry-push', namespace: 'mysimbdp-client-a', labels: { 'mysimbdp.io/tenant': 'client_a' } });
      expect(isSecret(secret.inputs.stringData)).toBe(true);
      expect(unwrap(secret.inputs.stringData)).toEqual({ '.dockerconfigjson': DOCKER_CONFIG });
      expect(spec(byName(res, 'client_a-kafkaconnect-mysimbdp-client-a/client-a')).build.output.pushSecret).toBe('registry-push');
      const manifests = synthesize(tenants(), settings);
      expect(JSON.stringify([manifests.platform, ...manifests.tenants.values()])).not.toContain('dXNlcjpwdw==');
    });

    it('is left to be made out of band when the stack names it but holds no credential', async () => {
      const res = await deploy({ settings: settingsWith({ connectPushSecret: 'registry-push' }), tenants: tenants(), secrets: SECRETS });
      expect(pushSecrets(res)).toEqual([]);
      expect(spec(byName(res, 'client_a-kafkaconnect-mysimbdp-client-a/client-a')).build.output.pushSecret).toBe('registry-push');
    });

    it('refuses a credential without a Secret name to store it under', async () => {
      expect(() => program.deployStack({ settings: settingsWith(), tenants: tenants(), secrets: { ...SECRETS, connectRegistryAuth: DOCKER_CONFIG } })).toThrow(
        'stack secret mysimbdp:connectRegistryAuth is set but config mysimbdp:connectPushSecret is not: set the Secret name the Kafka Connect builds push with',
      );
    });
  });
});

describe('forPulumi', () => {
  const objects = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: { keep: 'me' } } }];

  it('marks every object pulumi.com/skipAwait on a stack with skipAwait, keeping its annotations', async () => {
    await expect(Promise.resolve(program.forPulumi(objects, testSettings({ skipAwait: 'true' })))).resolves.toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: { keep: 'me', 'pulumi.com/skipAwait': 'true' } } },
    ]);
  });

  it('leaves the objects as synthesized otherwise', async () => {
    await expect(Promise.resolve(program.forPulumi(objects, testSettings()))).resolves.toEqual(objects);
  });
});
