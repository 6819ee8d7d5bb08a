import { describe, expect, it } from 'vitest';
import { RuntimeService, type RuntimeServiceProps } from '../../../../infra/constructs/platform/runtime-service';
import { one, render, resources, testSettings, TEST_IMAGE, thrownMessage } from '../../fixtures';
import { manifestsErrors, policyViolations } from '../../manifest-validation';

const BASE: RuntimeServiceProps = {
  settings: testSettings(),
  name: 'mysimbdp-monitor',
  namespace: 'mysimbdp-platform',
  component: 'monitor',
  args: ['monitor', '--port', '8081'],
  port: 8081,
  replicas: 2,
  resources: resources('100m', '128Mi', '500m', '256Mi'),
  readinessPath: '/metrics',
};
const build = (props: Partial<RuntimeServiceProps> = {}) => render((chart) => new RuntimeService(chart, 'svc', { ...BASE, ...props }));

describe('RuntimeService', () => {
  it('makes a Deployment following the container policy and a Service selecting it', async () => {
    const objects = build();
    expect(manifestsErrors(objects)).toEqual([]);
    expect(policyViolations(objects, TEST_IMAGE)).toEqual([]);
    const deployment = one(objects, 'Deployment').spec as Record<string, any>;
    const selector = { 'app.kubernetes.io/instance': 'mysimbdp-monitor', 'app.kubernetes.io/component': 'monitor' };
    expect(deployment.replicas).toBe(2);
    expect(deployment.selector).toEqual({ matchLabels: selector });
    expect(deployment.template.metadata.labels).toMatchObject(selector);
    const container = deployment.template.spec.containers[0];
    expect(container).toMatchObject({
      name: 'monitor',
      image: TEST_IMAGE,
      args: ['monitor', '--port', '8081'],
      ports: [{ name: 'http', containerPort: 8081, protocol: 'TCP' }],
      readinessProbe: { httpGet: { path: '/metrics', port: 'http' } },
      livenessProbe: { httpGet: { path: '/metrics', port: 'http' } },
    });
    const service = one(objects, 'Service');
    expect(service.metadata.labels).toMatchObject({ 'mysimbdp.io/metrics': 'true', 'app.kubernetes.io/part-of': 'mysimbdp' });
    expect(service.spec).toEqual({ type: 'ClusterIP', selector, ports: [{ name: 'http', port: 8081, targetPort: 'http', protocol: 'TCP' }] });
  });

  it('keeps one pod through disruptions when it runs several, and adds no budget for one', async () => {
    expect(one(build(), 'PodDisruptionBudget').spec).toEqual({
      minAvailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/instance': 'mysimbdp-monitor', 'app.kubernetes.io/component': 'monitor' } },
    });
    expect(build({ replicas: 1 }).map((o) => o.kind)).toEqual(['Deployment', 'Service']);
  });

  it('uses a separate liveness path when given', async () => {
    const container = (one(build({ livenessPath: '/healthz' }), 'Deployment').spec as any).template.spec.containers[0];
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
  });

  it('rejects bad props with messages naming field and value', async () => {
    expect(thrownMessage(() => build({ port: 80 }))).toBe('RuntimeService: port must be an integer between 1024 and 65535, got 80');
    expect(thrownMessage(() => build({ replicas: 0 }))).toBe('RuntimeService: replicas must be an integer >= 1, got 0');
    expect(thrownMessage(() => build({ name: 'Monitor' }))).toBe(`RuntimeService: name must be a DNS label (a-z, 0-9, '-', at most 63), got "Monitor"`);
    expect(thrownMessage(() => build({ namespace: 'a.b' }))).toBe(`RuntimeService: namespace must be a DNS label (a-z, 0-9, '-', at most 63), got "a.b"`);
  });
});
