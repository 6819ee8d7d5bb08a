import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { deployObjects, objectResourceName, resourceClassOf, withTemplateDigest } from '../../../infra/pulumi/kube-objects';
import type { KubeObject } from '../../../infra/synth/synthesize';
import { thrownMessage } from '../fixtures';

const registered: { type: string; name: string }[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    'mysimbdp',
    'test',
    false,
  );
});

const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: namespace === undefined ? { name } : { name, namespace },
});

describe('resourceClassOf', () => {
  it('picks the typed class of built-in kinds and CustomResource for any other group', async () => {
    expect(resourceClassOf(obj('v1', 'ConfigMap', 'x'))).toBe(k8s.core.v1.ConfigMap);
    expect(resourceClassOf(obj('apps/v1', 'Deployment', 'x'))).toBe(k8s.apps.v1.Deployment);
    expect(resourceClassOf(obj('batch/v1', 'CronJob', 'x'))).toBe(k8s.batch.v1.CronJob);
    expect(resourceClassOf(obj('networking.k8s.io/v1', 'NetworkPolicy', 'x'))).toBe(k8s.networking.v1.NetworkPolicy);
    expect(resourceClassOf(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'x'))).toBe(k8s.rbac.v1.ClusterRole);
    expect(resourceClassOf(obj('kafka.strimzi.io/v1', 'KafkaTopic', 'x'))).toBe(k8s.apiextensions.CustomResource);
    expect(resourceClassOf(obj('monitoring.coreos.com/v1', 'PodMonitor', 'x'))).toBe(k8s.apiextensions.CustomResource);
  });

  it('refuses a built-in group kind the SDK does not know', async () => {
    expect(thrownMessage(() => resourceClassOf(obj('apps/v1', 'Widget', 'x')))).toBe('no @pulumi/kubernetes class for apps/v1 Widget');
  });
});

describe('objectResourceName', () => {
  it('names a child <component>-<kind>-[<namespace>/]<name>', async () => {
    expect(objectResourceName('client_a', obj('apps/v1', 'Deployment', 'd', 'ns'))).toBe('client_a-deployment-ns/d');
    expect(objectResourceName('platform', obj('v1', 'Namespace', 'mysimbdp-platform'))).toBe('platform-namespace-mysimbdp-platform');
  });
});

describe('deployObjects', () => {
  it('makes one child per object, each namespaced one depending on the namespaces', async () => {
    class Parent extends pulumi.ComponentResource {
      constructor() {
        super('test:Parent', 'p');
      }
    }
    const parent = new Parent();
    const dependency = new k8s.core.v1.ConfigMap('dep', { metadata: { name: 'dep' } });
    const resources = deployObjects(parent, 'p', [obj('v1', 'ConfigMap', 'd', 'ns'), obj('v1', 'Namespace', 'ns')], [dependency]);
    await new Promise<void>((resolve) => pulumi.all(resources.map((r) => r.urn)).apply(() => resolve()));
    expect(resources[0]).toBeInstanceOf(k8s.core.v1.Namespace);
    expect(resources[1]).toBeInstanceOf(k8s.core.v1.ConfigMap);
    expect(registered.filter((r) => r.name.startsWith('p-')).map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      'kubernetes:core/v1:ConfigMap p-configmap-ns/d',
      'kubernetes:core/v1:Namespace p-namespace-ns',
    ]);
    // The ConfigMap registers only after the Namespace and the given dependency.
    const order = registered.map((r) => r.name);
    expect(order.indexOf('p-configmap-ns/d')).toBeGreaterThan(order.indexOf('p-namespace-ns'));
    expect(order.indexOf('p-configmap-ns/d')).toBeGreaterThan(order.indexOf('dep'));
  });
});

describe('withTemplateDigest', () => {
  const deployment: KubeObject = {
    ...obj('apps/v1', 'Deployment', 'monitor', 'ns'),
    spec: { replicas: 1, template: { metadata: { labels: { app: 'monitor' }, annotations: { keep: 'me' } }, spec: { containers: [] } } },
  };
  const settle = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

  it("adds a readable truncated SHA-256 of the value to the pod template, keeping the template's annotations", async () => {
    const annotated = withTemplateDigest(deployment, 'mysimbdp.io/x', pulumi.secret('v1'));
    const spec = annotated.spec as pulumi.Output<Record<string, any>>;
    await expect(annotated.metadata).toEqual(deployment.metadata);
    await expect(pulumi.isSecret(spec)).resolves.toBe(false);
    await expect(settle(spec)).resolves.toEqual({
      replicas: 1,
      template: {
        metadata: { labels: { app: 'monitor' }, annotations: { keep: 'me', 'mysimbdp.io/x': createHash('sha256').update('v1').digest('hex').slice(0, 16) } },
        spec: { containers: [] },
      },
    });
  });
});
