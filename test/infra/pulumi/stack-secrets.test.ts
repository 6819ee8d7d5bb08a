import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCredentials } from '../../../infra/credentials';
import {
  cassandraPassword,
  checkConnectPushSecret,
  checkDockerConfig,
  dockerConfigJson,
  encryptionKeyFiles,
  kafkaPassword,
  keyFilesOf,
  monitorToken,
  monitorTokensJson,
  stackSecretsFromConfig,
  tenantCredentialsJson,
  type StackSecrets,
} from '../../../infra/pulumi/stack-secrets';
import { seedTenant, testSettings, thrownMessage } from '../fixtures';

beforeAll(async () => {
  await pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs }, 'mysimbdp', 'test', false);
});

/** The plain value and secretness of an Output. */
async function settle<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
  const value = await new Promise<T>((resolve) => output.apply((v) => resolve(v)));
  return { value, secret: await pulumi.isSecret(output) };
}

const SECRETS: StackSecrets = { apiTokens: '{}', cassandraPassword: 'c', tenantPasswordSeed: 'seed' };

describe('kafkaPassword', () => {
  it('is a secret, stable for a tenant and seed, different per tenant and per seed', async () => {
    const a = await settle(kafkaPassword(SECRETS, seedTenant('client_a')));
    expect(a.secret).toBe(true);
    expect(a.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await settle(kafkaPassword(SECRETS, seedTenant('client_a')))).value).toBe(a.value);
    expect((await settle(kafkaPassword(SECRETS, seedTenant('client_b')))).value).not.toBe(a.value);
    expect((await settle(kafkaPassword({ ...SECRETS, tenantPasswordSeed: 'other' }, seedTenant('client_a')))).value).not.toBe(a.value);
  });
});

describe('cassandraPassword', () => {
  it('is a secret, stable, different per tenant and per seed, and never the Kafka password or the platform one', async () => {
    const a = await settle(cassandraPassword(SECRETS, seedTenant('client_a')));
    await expect(a.secret).toBe(true);
    await expect(a.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect((await settle(cassandraPassword(SECRETS, seedTenant('client_a')))).value).toBe(a.value);
    await expect((await settle(cassandraPassword(SECRETS, seedTenant('client_b')))).value).not.toBe(a.value);
    await expect((await settle(cassandraPassword({ ...SECRETS, tenantPasswordSeed: 'other' }, seedTenant('client_a')))).value).not.toBe(a.value);
    await expect((await settle(kafkaPassword(SECRETS, seedTenant('client_a')))).value).not.toBe(a.value);
    await expect(a.value).not.toBe(SECRETS.cassandraPassword);
  });
});

describe('monitorToken', () => {
  it("is a secret, stable, different per tenant and per seed, and none of the tenant's passwords", async () => {
    const a = await settle(monitorToken(SECRETS, seedTenant('client_a')));
    await expect(a.secret).toBe(true);
    await expect(a.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect((await settle(monitorToken(SECRETS, seedTenant('client_a')))).value).toBe(a.value);
    await expect((await settle(monitorToken(SECRETS, seedTenant('client_b')))).value).not.toBe(a.value);
    await expect((await settle(monitorToken({ ...SECRETS, tenantPasswordSeed: 'other' }, seedTenant('client_a')))).value).not.toBe(a.value);
    await expect((await settle(kafkaPassword(SECRETS, seedTenant('client_a')))).value).not.toBe(a.value);
    await expect((await settle(cassandraPassword(SECRETS, seedTenant('client_a')))).value).not.toBe(a.value);
  });
});

describe('monitorTokensJson', () => {
  const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

  it("is a secret tokens file mapping every tenant, sorted, to the SHA-256 hex of its monitor token", async () => {
    const [a, b] = [seedTenant('client_a'), seedTenant('client_b')];
    const json = await settle(monitorTokensJson(SECRETS, [b, a]));
    await expect(json.secret).toBe(true);
    const tokens = { client_a: (await settle(monitorToken(SECRETS, a))).value, client_b: (await settle(monitorToken(SECRETS, b))).value };
    await expect(json.value).toBe(`${JSON.stringify({ client_a: sha256(tokens.client_a), client_b: sha256(tokens.client_b) }, null, 2)}\n`);
    await expect(json.value).not.toContain(tokens.client_a);
  });

  it('is an empty object for a stack without tenants', async () => {
    await expect(settle(monitorTokensJson(SECRETS, []))).resolves.toEqual({ value: '{}\n', secret: true });
  });
});

describe('tenantCredentialsJson', () => {
  it("is a secret credentials file of the tenant's KafkaUser and Cassandra role at the in-cluster endpoints", async () => {
    const tenant = seedTenant('client_b');
    const settings = testSettings({ kafkaClusterName: 'k', cassandraClusterName: 'c', cassandraDatacenter: 'east' });
    const json = await settle(tenantCredentialsJson(SECRETS, settings, tenant));
    await expect(json.secret).toBe(true);
    await expect(parseCredentials(json.value, 'client_b.json')).toEqual({
      kafka: { bootstrap: 'k-kafka-bootstrap.mysimbdp-platform.svc:9092', mechanism: 'scram-sha-512', username: 'client-b', password: (await settle(kafkaPassword(SECRETS, tenant))).value },
      cassandra: {
        contact_points: 'c-east-service.mysimbdp-platform.svc:9042',
        local_dc: 'east',
        username: 'client_b',
        password: (await settle(cassandraPassword(SECRETS, tenant))).value,
      },
    });
  });
});

describe('encryptionKeyFiles', () => {
  it('turns the tenant entry into <keyId>.key files and `current`, as a secret', async () => {
    const keys = JSON.stringify({ client_a: { current: 'k1', keys: { k1: 'QUJD' } } });
    expect(await settle(encryptionKeyFiles({ ...SECRETS, encryptionKeys: keys }, seedTenant('client_a')))).toEqual({ value: { current: 'k1', 'k1.key': 'QUJD' }, secret: true });
  });

  it('refuses a stack without keys, and an entry without current or keys', async () => {
    expect(thrownMessage(() => encryptionKeyFiles(SECRETS, seedTenant('client_a')))).toBe(
      'tenant "client_a" asks for encryption but stack secret mysimbdp:encryptionKeys is not set',
    );
    for (const json of ['{}', '{"client_a":{"keys":{}}}', '{"client_a":{"current":"k1"}}', '{"client_a":{"current":"k1","keys":null}}']) {
      expect(thrownMessage(() => keyFilesOf(json, 'client_a'))).toBe('mysimbdp:encryptionKeys has no { current, keys } entry for tenant "client_a"');
    }
  });
});

describe('Connect registry credential', () => {
  const DOCKER_CONFIG = '{"auths":{"registry.test":{"auth":"dXNlcjpwdw=="}}}';

  it('becomes the .dockerconfigjson value as a secret', async () => {
    expect(await settle(dockerConfigJson(DOCKER_CONFIG))).toEqual({ value: DOCKER_CONFIG, secret: true });
  });

  it('must be docker config JSON; the message never repeats the value', async () => {
    expect(thrownMessage(() => checkDockerConfig('user:pw'))).toBe('stack secret mysimbdp:connectRegistryAuth is not JSON (expected docker config JSON { "auths": { … } })');
    for (const json of ['{}', '{"auths":[]}', '{"auths":"user:pw"}', 'null', '"user:pw"']) {
      expect(thrownMessage(() => checkDockerConfig(json))).toBe('stack secret mysimbdp:connectRegistryAuth must be docker config JSON with an "auths" object');
    }
  });

  it('needs config connectPushSecret to name the Secret; either alone is fine otherwise', async () => {
    expect(thrownMessage(() => checkConnectPushSecret(testSettings(), { ...SECRETS, connectRegistryAuth: DOCKER_CONFIG }))).toBe(
      'stack secret mysimbdp:connectRegistryAuth is set but config mysimbdp:connectPushSecret is not: set the Secret name the Kafka Connect builds push with',
    );
    expect(() => checkConnectPushSecret(testSettings({ connectPushSecret: 'push' }), SECRETS)).not.toThrow();
    expect(() => checkConnectPushSecret(testSettings({ connectPushSecret: 'push' }), { ...SECRETS, connectRegistryAuth: DOCKER_CONFIG })).not.toThrow();
    expect(() => checkConnectPushSecret(testSettings(), SECRETS)).not.toThrow();
  });
});

describe('stackSecretsFromConfig', () => {
  it('reads the secret keys, apiTokens defaulting to {} (no uploads)', async () => {
    pulumi.runtime.setAllConfig({ 'mysimbdp:cassandraPassword': 'pw', 'mysimbdp:tenantPasswordSeed': 's' }, ['mysimbdp:cassandraPassword', 'mysimbdp:tenantPasswordSeed']);
    const secrets = stackSecretsFromConfig(new pulumi.Config('mysimbdp'));
    expect(await settle(pulumi.output(secrets.apiTokens))).toEqual({ value: '{}', secret: true });
    expect(await settle(pulumi.output(secrets.cassandraPassword))).toEqual({ value: 'pw', secret: true });
    await expect(settle(pulumi.output(secrets.tenantPasswordSeed))).resolves.toEqual({ value: 's', secret: true });
    expect(secrets.encryptionKeys).toBeUndefined();
    expect(secrets.connectRegistryAuth).toBeUndefined();
  });

  it('reads connectRegistryAuth as a secret', async () => {
    pulumi.runtime.setAllConfig(
      { 'mysimbdp:cassandraPassword': 'pw', 'mysimbdp:tenantPasswordSeed': 's', 'mysimbdp:connectRegistryAuth': '{"auths":{}}' },
      ['mysimbdp:cassandraPassword', 'mysimbdp:tenantPasswordSeed', 'mysimbdp:connectRegistryAuth'],
    );
    const secrets = stackSecretsFromConfig(new pulumi.Config('mysimbdp'));
    expect(await settle(pulumi.output(secrets.connectRegistryAuth))).toEqual({ value: '{"auths":{}}', secret: true });
  });

  it('requires the Cassandra password and the tenant password seed', async () => {
    pulumi.runtime.setAllConfig({});
    expect(() => stackSecretsFromConfig(new pulumi.Config('mysimbdp'))).toThrow("Missing required configuration variable 'mysimbdp:cassandraPassword'");
    // a stack that still holds the seed under its old name
    pulumi.runtime.setAllConfig({ 'mysimbdp:cassandraPassword': 'pw', 'mysimbdp:kafkaPasswordSeed': 's' }, ['mysimbdp:cassandraPassword', 'mysimbdp:kafkaPasswordSeed']);
    await expect(() => stackSecretsFromConfig(new pulumi.Config('mysimbdp'))).toThrow("Missing required configuration variable 'mysimbdp:tenantPasswordSeed'");
  });
});
