import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageRef, readStackConfigFile, stackSettingsFrom, type StackConfigKey } from '../../../infra/stack/stack-settings';
import { Quantity } from '../../../infra/tenant/rules/quantity';
import { REPO_ROOT, TEST_STACK, testSettings, thrownMessage } from '../fixtures';

const from = (values: Partial<Record<StackConfigKey, string>>, stack = 'test') => stackSettingsFrom(stack, (k) => values[k]);

describe('stackSettingsFrom', () => {
  it('resolves every default', () => {
    expect(testSettings()).toEqual({
      stack: 'test',
      image: { registry: 'registry.test/mysimbdp', repository: 'ingest', tag: '1.2.3' },
      namespacePrefix: 'mysimbdp',
      replicas: { api: 2, monitor: 1, kafkaBrokers: 3, cassandraNodes: 3, kafkaTopics: 3 },
      storageClass: 'standard',
      staging: { server: 'nfs.test', path: '/exports/staging', size: Quantity.memory('10Gi') },
      operators: { crds: true, strimzi: true, cassOperator: true, keda: false, prometheus: false },
      kafkaClusterName: 'mysimbdp',
      cassandraClusterName: 'mysimbdp',
      cassandraDatacenter: 'dc1',
      connectPushSecret: undefined,
      skipAwait: false,
    });
  });

  it('takes the Connect push Secret name as a DNS subdomain', () => {
    expect(testSettings({ connectPushSecret: ' registry.push-1 ' }).connectPushSecret).toBe('registry.push-1');
    expect(testSettings({ connectPushSecret: `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}` }).connectPushSecret).toHaveLength(253);
  });

  it('takes given values and derives topic replicas from brokers', () => {
    const s = testSettings({ kafkaBrokers: '1', installKeda: 'true', namespacePrefix: 'acme', imageRegistry: 'r.example/', stagingPath: '/x/' });
    expect(s.replicas.kafkaTopics).toBe(1);
    expect(s.operators.keda).toBe(true);
    expect(s.namespacePrefix).toBe('acme');
    expect(s.image.registry).toBe('r.example');
    expect(s.staging.path).toBe('/x');
    expect(imageRef(s.image)).toBe('r.example/ingest:1.2.3');
  });

  it.each([
    ['Dev', {}, 'stack name must be a DNS label, got "Dev"'],
    ['test', { imageTag: undefined }, 'stack "test": config mysimbdp:imageTag is required'],
    ['test', { imageTag: ' ' }, 'stack "test": config mysimbdp:imageTag is required'],
    ['test', { imageTag: 'latest' }, 'stack "test": config mysimbdp:imageTag must pin a version, got "latest"'],
    ['test', { imageTag: 'v1:2' }, 'stack "test": config mysimbdp:imageTag is not a valid image tag, got "v1:2"'],
    ['test', { imageRegistry: undefined }, 'stack "test": config mysimbdp:imageRegistry is required'],
    ['test', { stagingServer: undefined }, 'stack "test": config mysimbdp:stagingServer is required'],
    ['test', { stagingPath: 'exports' }, 'stack "test": config mysimbdp:stagingPath must be absolute, got "exports"'],
    ['test', { stagingSize: '10GB' }, 'stack "test": config mysimbdp:stagingSize is not a Kubernetes quantity (a number with an optional suffix such as m, k, Mi, Gi or e3), got "10GB"'],
    ['test', { namespacePrefix: 'My_Prefix' }, 'stack "test": config mysimbdp:namespacePrefix must be a DNS label of at most 20 characters, got "My_Prefix"'],
    ['test', { namespacePrefix: 'a'.repeat(21) }, `stack "test": config mysimbdp:namespacePrefix must be a DNS label of at most 20 characters, got "${'a'.repeat(21)}"`],
    ['test', { kafkaBrokers: '0' }, 'stack "test": config mysimbdp:kafkaBrokers must be an integer >= 1, got "0"'],
    ['test', { apiReplicas: '1.5' }, 'stack "test": config mysimbdp:apiReplicas must be an integer >= 1, got "1.5"'],
    ['test', { kafkaBrokers: '1', kafkaTopicReplicas: '3' }, 'stack "test": config mysimbdp:kafkaTopicReplicas must be <= kafkaBrokers (1), got "3"'],
    ['test', { installKeda: 'yes' }, 'stack "test": config mysimbdp:installKeda must be true or false, got "yes"'],
    ['test', { connectPushSecret: 'Push_Secret' }, `stack "test": config mysimbdp:connectPushSecret must be a Secret name (DNS subdomain: a-z, 0-9, '-', '.', at most 253 characters), got "Push_Secret"`],
    ['test', { connectPushSecret: 'push.' }, `stack "test": config mysimbdp:connectPushSecret must be a Secret name (DNS subdomain: a-z, 0-9, '-', '.', at most 253 characters), got "push."`],
    ['test', { connectPushSecret: 'a'.repeat(254) }, `stack "test": config mysimbdp:connectPushSecret must be a Secret name (DNS subdomain: a-z, 0-9, '-', '.', at most 253 characters), got "${'a'.repeat(254)}"`],
    ['test', { cassandraDatacenter: 'DC1' }, 'stack "test": config mysimbdp:cassandraDatacenter must be a DNS label of at most 40 characters, got "DC1"'],
  ] as const)('stack %s with %j throws', async (stack, patch, message) => {
    expect(thrownMessage(() => from({ ...TEST_STACK, ...patch }, stack))).toBe(message);
  });
});

describe('readStackConfigFile', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'stack-settings-'));

  it('reads the committed dev and prod stacks', () => {
    const dev = readStackConfigFile(REPO_ROOT, 'dev');
    const prod = readStackConfigFile(REPO_ROOT, 'prod');
    expect(dev.replicas).toEqual({ api: 1, monitor: 1, kafkaBrokers: 1, cassandraNodes: 1, kafkaTopics: 1 });
    expect(prod.replicas).toEqual({ api: 3, monitor: 2, kafkaBrokers: 3, cassandraNodes: 3, kafkaTopics: 3 });
    expect(prod.operators).toEqual({ crds: true, strimzi: true, cassOperator: true, keda: true, prometheus: true });
    expect(dev.image.tag).not.toBe('latest');
    expect([dev.connectPushSecret, prod.connectPushSecret]).toEqual([undefined, 'mysimbdp-connect-push']);
  });

  it('skips the secret keys, which only the Pulumi program reads', () => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 'Pulumi.x.yaml'),
      'config:\n  mysimbdp:imageRegistry: r\n  mysimbdp:imageRepository: i\n  mysimbdp:imageTag: "1"\n  mysimbdp:stagingServer: s\n  mysimbdp:stagingPath: /p\n  mysimbdp:connectRegistryAuth:\n    secure: AAABAJ0x\n',
    );
    expect(readStackConfigFile(dir, 'x').connectPushSecret).toBeUndefined();
  });

  it('reads YAML scalars of any type and ignores other namespaces', () => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 'Pulumi.x.yaml'),
      'config:\n  kubernetes:context: kind\n  mysimbdp:imageRegistry: r\n  mysimbdp:imageRepository: i\n  mysimbdp:imageTag: 2.0\n  mysimbdp:stagingServer: s\n  mysimbdp:stagingPath: /p\n  mysimbdp:kafkaBrokers: 5\n  mysimbdp:installKeda: true\n',
    );
    const s = readStackConfigFile(dir, 'x');
    expect([s.image.tag, s.replicas.kafkaBrokers, s.operators.keda]).toEqual(['2', 5, true]);
  });

  it.each([
    ['config:\n  mysimbdp:imageTagg: 1\n', (f: string) => `${f}: unknown config key mysimbdp:imageTagg`],
    ['config:\n  mysimbdp:imageTag: [1]\n', (f: string) => `${f}: config mysimbdp:imageTag must be a scalar, got [1]`],
    ['config: [1]\n', (f: string) => `${f}: config must be a mapping`],
    [
      'config:\n  mysimbdp:kafkaPasswordSeed:\n    secure: v1:abc\n',
      (f: string) => `${f}: config key mysimbdp:kafkaPasswordSeed is now mysimbdp:tenantPasswordSeed: set that secret to the same value and remove mysimbdp:kafkaPasswordSeed`,
    ],
  ])('rejects %j', async (text, message) => {
    const dir = tmp();
    const file = path.join(dir, 'Pulumi.bad.yaml');
    fs.writeFileSync(file, text);
    expect(thrownMessage(() => readStackConfigFile(dir, 'bad'))).toBe(message(file));
  });

  it('names the file of invalid YAML (the rest is the parser\'s message)', () => {
    const dir = tmp();
    const file = path.join(dir, 'Pulumi.bad.yaml');
    fs.writeFileSync(file, 'config: {\n');
    expect(thrownMessage(() => readStackConfigFile(dir, 'bad')).startsWith(`${file}: invalid YAML: `)).toBe(true);
  });

  it('names a missing file', () => {
    const dir = tmp();
    expect(thrownMessage(() => readStackConfigFile(dir, 'nope'))).toBe(`stack "nope": cannot read ${path.join(dir, 'Pulumi.nope.yaml')}: ENOENT`);
  });
});
