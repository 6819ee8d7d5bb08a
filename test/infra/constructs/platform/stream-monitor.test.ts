import { describe, expect, it } from 'vitest';
import { StreamMonitor, type StreamMonitorProps } from '../../../../infra/constructs/platform/stream-monitor';
import { one, podEnv, render, secretRefs, seedTenants, testSettings, TEST_IMAGE, thrownMessage } from '../../fixtures';
import { manifestsErrors, policyViolations } from '../../manifest-validation';

const BASE: StreamMonitorProps = { settings: testSettings(), namespace: 'mysimbdp-platform', tenants: seedTenants() };
const build = (props: Partial<StreamMonitorProps> = {}) => render((chart) => new StreamMonitor(chart, 'monitor', { ...BASE, ...props }));

describe('StreamMonitor', () => {
  it('runs `monitor --port 8081 --tokens …` with the tenants\' files under its own ServiceAccount, without cluster-wide rights', async () => {
    const objects = build();
    expect(manifestsErrors(objects)).toEqual([]);
    expect(policyViolations(objects, TEST_IMAGE)).toEqual([]);
    const pod = (one(objects, 'Deployment', 'mysimbdp-monitor').spec as any).template.spec;
    expect(pod.containers[0].args).toEqual(['monitor', '--port', '8081', '--tokens', '/etc/mysimbdp/monitor-tokens/tokens.json']);
    expect(pod.containers[0].env).toEqual([
      { name: 'TENANTS_DIR', value: '/etc/mysimbdp/tenants' },
      { name: 'SCALE_TARGET', value: 'kubernetes' },
      { name: 'NAMESPACE_PREFIX', value: 'mysimbdp' },
      { name: 'SINK_SCALER', value: 'manager' },
      { name: 'MONITOR_OPERATOR_TOKENS_FILE', value: '/etc/mysimbdp/monitor-operator-tokens/operator-tokens.json' },
    ]);
    expect(pod.serviceAccountName).toBe('mysimbdp-monitor');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'Deployment', 'Service', 'NetworkPolicy']);
    expect(one(objects, 'Service').spec).toMatchObject({ ports: [{ name: 'http', port: 8081 }] });
  });

  it("mounts only the tokens files of Secrets mysimbdp-monitor-tokens and mysimbdp-monitor-operator (not the API's raw token), read-only, and no tenant's token Secret", async () => {
    const pod = (one(build(), 'Deployment', 'mysimbdp-monitor').spec as any).template.spec;
    await expect(pod.volumes.filter((v: { name: string }) => v.name.endsWith('tokens'))).toEqual([
      { name: 'tokens', secret: { secretName: 'mysimbdp-monitor-tokens', items: [{ key: 'tokens.json', path: 'tokens.json' }], defaultMode: 0o440 } },
      { name: 'operator-tokens', secret: { secretName: 'mysimbdp-monitor-operator', items: [{ key: 'operator-tokens.json', path: 'operator-tokens.json' }], defaultMode: 0o440 } },
    ]);
    await expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'tokens', mountPath: '/etc/mysimbdp/monitor-tokens', readOnly: true },
      { name: 'operator-tokens', mountPath: '/etc/mysimbdp/monitor-operator-tokens', readOnly: true },
      { name: 'tenants', mountPath: '/etc/mysimbdp/tenants', readOnly: true },
    ]);
    await expect(secretRefs(pod)).toEqual(['mysimbdp-monitor-tokens', 'mysimbdp-monitor-operator']);
  });

  it('takes the tokens Secret from props', async () => {
    const pod = (one(build({ tokensSecret: 'report-tokens' }), 'Deployment', 'mysimbdp-monitor').spec as any).template.spec;
    await expect(secretRefs(pod)).toEqual(['report-tokens', 'mysimbdp-monitor-operator']);
  });

  it('leaves the sinks to KEDA (SINK_SCALER=keda) on stacks that install it', async () => {
    const objects = build({ settings: testSettings({ installKeda: 'true' }) });
    expect(manifestsErrors(objects)).toEqual([]);
    expect(podEnv(one(objects, 'Deployment', 'mysimbdp-monitor'))).toMatchObject({ SCALE_TARGET: 'kubernetes', SINK_SCALER: 'keda' });
  });

  it('takes reports only from mysimbdp namespaces and Prometheus', async () => {
    expect(one(build(), 'NetworkPolicy').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'mysimbdp-monitor' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { namespaceSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'mysimbdp' } } },
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
          ],
          ports: [{ port: 8081, protocol: 'TCP' }],
        },
      ],
    });
  });

  it('rejects a bad name or tokens Secret', async () => {
    expect(thrownMessage(() => build({ name: 'Monitor!' }))).toBe(`StreamMonitor: name must be a DNS label (a-z, 0-9, '-', at most 63), got "Monitor!"`);
    await expect(thrownMessage(() => build({ tokensSecret: 'Tokens' }))).toBe(`StreamMonitor: tokensSecret must be a DNS label (a-z, 0-9, '-', at most 63), got "Tokens"`);
  });
});
