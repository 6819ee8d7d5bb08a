import { describe, expect, it } from 'vitest';
import { UploadApi, type UploadApiProps } from '../../../../infra/constructs/platform/upload-api';
import { one, render, resources as parsed, secretRefs, seedTenant, seedTenants, testSettings, TEST_IMAGE, thrownMessage, withAgreement } from '../../fixtures';
import { manifestsErrors, policyViolations } from '../../manifest-validation';

const BASE: UploadApiProps = { settings: testSettings({ apiReplicas: '3' }), namespace: 'mysimbdp-platform', tenants: seedTenants() };
const build = (props: Partial<UploadApiProps> = {}) => render((chart) => new UploadApi(chart, 'api', { ...BASE, ...props }));

describe('UploadApi', () => {
  it('runs `api --port 8080 --tokens … --operator-tokens …` with tokens from a Secret, the staging root and every tenant file', async () => {
    const objects = build();
    expect(manifestsErrors(objects)).toEqual([]);
    expect(policyViolations(objects, TEST_IMAGE)).toEqual([]);
    const deployment = one(objects, 'Deployment', 'mysimbdp-api').spec as Record<string, any>;
    expect(deployment.replicas).toBe(3);
    const pod = deployment.template.spec;
    const container = pod.containers[0];
    expect(container.args).toEqual(['api', '--port', '8080', '--tokens', '/etc/mysimbdp/tokens/tokens.json', '--operator-tokens', '/etc/mysimbdp/tokens/operator-tokens.json']);
    expect(container.env.slice(0, 3)).toEqual([
      { name: 'SOURCE_PATH', value: '/staging' },
      { name: 'TENANTS_DIR', value: '/etc/mysimbdp/tenants' },
      { name: 'ENCRYPTION_KEYS_DIR', value: '/etc/mysimbdp/keys' },
    ]);
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'tokens', mountPath: '/etc/mysimbdp/tokens', readOnly: true },
      { name: 'monitor-token', mountPath: '/etc/mysimbdp/monitor-token', readOnly: true },
      { name: 'staging', mountPath: '/staging' },
      { name: 'tenants', mountPath: '/etc/mysimbdp/tenants', readOnly: true },
    ]);
    const volumes = Object.fromEntries((pod.volumes as { name: string }[]).map((v) => [v.name, v])) as Record<string, any>;
    expect(volumes.tokens).toEqual({
      name: 'tokens',
      secret: { secretName: 'mysimbdp-api-tokens', items: [{ key: 'tokens.json', path: 'tokens.json' }, { key: 'operator-tokens.json', path: 'operator-tokens.json' }], defaultMode: 0o440 },
    });
    expect(volumes.staging).toEqual({ name: 'staging', persistentVolumeClaim: { claimName: 'staging' } });
    expect(volumes.tenants.projected.sources.map((s: any) => s.configMap.name)).toEqual(['client-a-tenant', 'client-b-tenant']);
    expect(one(objects, 'Service', 'mysimbdp-api').spec).toMatchObject({ ports: [{ name: 'http', port: 8080 }] });
  });

  it("reads the ingestion log as the console role and the monitor's decisions with its own operator token, and holds no other login", async () => {
    const container = (one(build({ settings: testSettings({ cassandraClusterName: 'c', cassandraDatacenter: 'east' }) }), 'Deployment', 'mysimbdp-api').spec as any).template.spec.containers[0];
    await expect(container.env.slice(3)).toEqual([
      { name: 'CASSANDRA_CONTACT_POINTS', value: 'c-east-service.mysimbdp-platform.svc:9042' },
      { name: 'CASSANDRA_LOCAL_DC', value: 'east' },
      { name: 'CASSANDRA_USERNAME', valueFrom: { secretKeyRef: { name: 'mysimbdp-cassandra-console', key: 'username', optional: false } } },
      { name: 'CASSANDRA_PASSWORD', valueFrom: { secretKeyRef: { name: 'mysimbdp-cassandra-console', key: 'password', optional: false } } },
      { name: 'MONITOR_URL', value: 'http://mysimbdp-monitor.mysimbdp-platform.svc:8081' },
      { name: 'MONITOR_OPERATOR_TOKEN_FILE', value: '/etc/mysimbdp/monitor-token/token' },
    ]);
    const pod = (one(build(), 'Deployment', 'mysimbdp-api').spec as any).template.spec;
    await expect(pod.volumes.find((v: { name: string }) => v.name === 'monitor-token')).toEqual({
      name: 'monitor-token',
      secret: { secretName: 'mysimbdp-monitor-operator', items: [{ key: 'token', path: 'token' }], defaultMode: 0o440 },
    });
    await expect(new Set(secretRefs(pod))).toEqual(new Set(['mysimbdp-cassandra-console', 'mysimbdp-api-tokens', 'mysimbdp-monitor-operator']));
  });

  it('mounts the key Secret of each encrypting tenant at /etc/mysimbdp/keys/<client>', async () => {
    const tenants = [withAgreement(seedTenant('client_a'), { encryption: true }), seedTenant('client_b')];
    const objects = build({ tenants });
    expect(manifestsErrors(objects)).toEqual([]);
    const pod = (one(objects, 'Deployment').spec as any).template.spec;
    expect(pod.volumes.filter((v: any) => v.name.startsWith('keys-'))).toEqual([{ name: 'keys-client-a', secret: { secretName: 'client-a-keys', defaultMode: 0o440 } }]);
    expect(pod.containers[0].volumeMounts.filter((m: any) => m.name.startsWith('keys-'))).toEqual([{ name: 'keys-client-a', mountPath: '/etc/mysimbdp/keys/client_a', readOnly: true }]);
  });

  it('takes name, replicas, resources, Secret and claim from props', async () => {
    const objects = build({ name: 'upload', replicas: 1, resources: parsed('1', '1Gi', '2', '2Gi'), tokensSecret: 'tokens', stagingClaim: 'share' });
    const pod = (one(objects, 'Deployment', 'upload').spec as any).template.spec;
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } });
    expect(pod.volumes.map((v: any) => v.secret?.secretName ?? v.persistentVolumeClaim?.claimName).filter(Boolean)).toEqual(['tokens', 'mysimbdp-monitor-operator', 'share']);
  });

  it('rejects bad props with messages naming field and value', async () => {
    expect(thrownMessage(() => build({ tokensSecret: 'Tokens' }))).toBe(`UploadApi: tokensSecret must be a DNS label (a-z, 0-9, '-', at most 63), got "Tokens"`);
    expect(thrownMessage(() => build({ stagingClaim: '' }))).toBe(`UploadApi: stagingClaim must be a DNS label (a-z, 0-9, '-', at most 63), got ""`);
  });
});
