import { describe, expect, it } from 'vitest';
import { securePodSpec, type SecureContainerProps } from '../../../../infra/constructs/common/secure-pod';
import { Quantity } from '../../../../infra/tenant/rules/quantity';
import { resources as parsed, testSettings, thrownMessage } from '../../fixtures';

const resources = parsed('100m', '64Mi', '200m', '128Mi');
const container = (patch: Partial<SecureContainerProps> = {}): SecureContainerProps => ({ name: 'app', args: ['api'], resources, ...patch });
// Quantities render through cdk8s' resolver; compare the plain JSON.
const json = (value: unknown) => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v !== null && typeof v === 'object' && 'value' in v && Object.keys(v).length === 1 ? (v as { value: unknown }).value : v)));

describe('securePodSpec', () => {
  it('applies the security policy, the stack image and a /tmp emptyDir', () => {
    const spec = json(securePodSpec({ settings: testSettings(), containers: [container({ volumeMounts: [{ name: 'data', mountPath: '/data' }] })], volumes: [{ name: 'data', emptyDir: {} }] }));
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    const [c] = spec.containers;
    expect(c.image).toBe('registry.test/mysimbdp/ingest:1.2.3');
    expect(c.args).toEqual(['api']);
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } });
    expect(c.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'data', mountPath: '/data' }]);
    expect(spec.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }, { name: 'data', emptyDir: {} }]);
  });

  it.each([
    [{ containers: [] }, 'securePodSpec: containers must not be empty'],
    [{ volumes: [{ name: 'tmp', emptyDir: {} }] }, 'securePodSpec: volume name "tmp" is reserved'],
    [{ containers: [container({ name: 'App' })] }, 'container name must be a DNS label, got "App"'],
    [{ containers: [container({ volumeMounts: [{ name: 'x', mountPath: '/tmp' }] })] }, 'container "app": volume "tmp" and path /tmp are reserved'],
    [
      { containers: [container({ resources: { ...resources, requests: { cpu: Quantity.cpu('300m'), memory: Quantity.memory('64Mi') } } })] },
      'container "app": resources.requests.cpu "300m" exceeds resources.limits.cpu "200m"',
    ],
    [
      { containers: [container({ resources: { ...resources, requests: { cpu: Quantity.cpu('100m'), memory: Quantity.memory('1Gi') } } })] },
      'container "app": resources.requests.memory "1Gi" exceeds resources.limits.memory "128Mi"',
    ],
  ] as const)('throws for %j', async (patch, message) => {
    expect(thrownMessage(() => securePodSpec({ settings: testSettings(), containers: [container()], ...patch }))).toBe(message);
  });
});
