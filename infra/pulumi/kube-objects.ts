import { createHash } from 'node:crypto';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { KubeObject } from '../synth/synthesize';

// Synthesized objects become one Pulumi resource each, so a preview lists every object (grouped
// under its tenant's component) and a diff names the object and field that change.

/** Built-in API groups → @pulumi/kubernetes module; any other group is a custom resource. */
const BUILTIN_GROUPS: Readonly<Record<string, string>> = {
  '': 'core',
  apps: 'apps',
  batch: 'batch',
  policy: 'policy',
  autoscaling: 'autoscaling',
  'networking.k8s.io': 'networking',
  'rbac.authorization.k8s.io': 'rbac',
  'storage.k8s.io': 'storage',
};

type ResourceClass = new (name: string, args: KubeObject, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** The typed @pulumi/kubernetes class of an object (e.g. apps/v1 Deployment → k8s.apps.v1.Deployment), or CustomResource. */
export function resourceClassOf(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): ResourceClass {
  const slash = obj.apiVersion.lastIndexOf('/');
  const group = slash === -1 ? '' : obj.apiVersion.slice(0, slash);
  const version = obj.apiVersion.slice(slash + 1);
  const module = BUILTIN_GROUPS[group];
  if (module === undefined) return k8s.apiextensions.CustomResource as unknown as ResourceClass;
  const cls = (k8s as unknown as Record<string, Record<string, Record<string, ResourceClass | undefined>> | undefined>)[module]?.[version]?.[obj.kind];
  if (cls === undefined) throw new Error(`no @pulumi/kubernetes class for ${obj.apiVersion} ${obj.kind}`);
  return cls;
}

/** Child resource name: `<component>-<kind>-[<namespace>/]<name>`, unique within the component. */
export function objectResourceName(component: string, obj: KubeObject): string {
  const ns = obj.metadata.namespace === undefined ? '' : `${obj.metadata.namespace}/`;
  return `${component}-${obj.kind.toLowerCase()}-${ns}${obj.metadata.name}`;
}

/**
 * Registers the objects as children of `parent`: Namespaces first, everything else after them
 * (a namespaced object cannot be created before its namespace). Returns every resource created.
 */
export function deployObjects(
  parent: pulumi.ComponentResource,
  component: string,
  objects: readonly KubeObject[],
  dependsOn: readonly pulumi.Resource[] = [],
): pulumi.CustomResource[] {
  const create = (obj: KubeObject, deps: readonly pulumi.Resource[]): pulumi.CustomResource => {
    const Cls = resourceClassOf(obj);
    return new Cls(objectResourceName(component, obj), obj, { parent, dependsOn: [...deps] });
  };
  const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => create(o, dependsOn));
  const rest = objects.filter((o) => o.kind !== 'Namespace').map((o) => create(o, [...dependsOn, ...namespaces]));
  return [...namespaces, ...rest];
}

/**
 * The object (a Deployment or Job) with `annotation: <digest of value>` on its pod template: a
 * changed value, such as a rotated secret its pods read at start, rolls the Deployment or replaces
 * the Job. The digest is a truncated SHA-256 of values derived from 256 random bits, so it is left
 * readable (unsecret): a secret anywhere in the spec would hide its whole diff in `pulumi preview`.
 */
export function withTemplateDigest(obj: KubeObject, annotation: string, value: pulumi.Output<string>): KubeObject {
  const digest = pulumi.unsecret(value.apply((v) => createHash('sha256').update(v).digest('hex').slice(0, 16)));
  const spec = obj.spec as { template: { metadata?: { annotations?: Record<string, string> } } };
  const template = spec.template;
  return {
    ...obj,
    spec: digest.apply((d) => ({
      ...spec,
      template: { ...template, metadata: { ...template.metadata, annotations: { ...template.metadata?.annotations, [annotation]: d } } },
    })),
  };
}
