import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkConnectPushSecret,
  checkDockerConfig,
  dockerConfigJson,
  encryptionKeyFiles,
  kafkaPassword,
  keyFilesOf,
  stackSecretsFromConfig,
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

const SECRETS: StackSecrets = { apiTokens: '{}', cassandraPassword: 'c', kafkaPasswordSeed: 'seed' };

describe('kafkaPassword', () => {
  it('is a secret, stable for a tenant and seed, different per tenant and per seed', async () => {
    const a = await settle(kafkaPassword(SECRETS, seedTenant('client_a')));
    expect(a.secret).toBe(true);
    expect(a.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await settle(kafkaPassword(SECRETS, seedTenant('client_a')))).value).toBe(a.value);
    expect((await settle(kafkaPassword(SECRETS, seedTenant('client_b')))).value).not.toBe(a.value);
    expect((await settle(kafkaPassword({ ...SECRETS, kafkaPasswordSeed: 'other' }, seedTenant('client_a')))).value).not.toBe(a.value);
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
    pulumi.runtime.setAllConfig({ 'mysimbdp:cassandraPassword': 'pw', 'mysimbdp:kafkaPasswordSeed': 's' }, ['mysimbdp:cassandraPassword', 'mysimbdp:kafkaPasswordSeed']);
    const secrets = stackSecretsFromConfig(new pulumi.Config('mysimbdp'));
    expect(await settle(pulumi.output(secrets.apiTokens))).toEqual({ value: '{}', secret: true });
    expect(await settle(pulumi.output(secrets.cassandraPassword))).toEqual({ value: 'pw', secret: true });
    expect(secrets.encryptionKeys).toBeUndefined();
    expect(secrets.connectRegistryAuth).toBeUndefined();
  });

  it('reads connectRegistryAuth as a secret', async () => {
    pulumi.runtime.setAllConfig(
      { 'mysimbdp:cassandraPassword': 'pw', 'mysimbdp:kafkaPasswordSeed': 's', 'mysimbdp:connectRegistryAuth': '{"auths":{}}' },
      ['mysimbdp:cassandraPassword', 'mysimbdp:kafkaPasswordSeed', 'mysimbdp:connectRegistryAuth'],
    );
    const secrets = stackSecretsFromConfig(new pulumi.Config('mysimbdp'));
    expect(await settle(pulumi.output(secrets.connectRegistryAuth))).toEqual({ value: '{"auths":{}}', secret: true });
  });

  it('requires the Cassandra password and the Kafka password seed', async () => {
    pulumi.runtime.setAllConfig({});
    expect(() => stackSecretsFromConfig(new pulumi.Config('mysimbdp'))).toThrow("Missing required configuration variable 'mysimbdp:cassandraPassword'");
  });
});
