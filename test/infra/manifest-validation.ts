import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../infra/synth/synthesize';

// Validates synthesized objects the way the cluster would: built-in kinds against the Kubernetes
// OpenAPI schema (kubernetes-models), Strimzi and cass-operator resources against their CRD's
// openAPIV3Schema (from infra/imports/crds, with ajv), KEDA and prometheus-operator resources against
// their @kubernetes-models packages. Unknown fields are errors where the CRD does not preserve them:
// the API server would prune them silently, so a misspelt field would be lost without a word.

/** CRD folder: MYSIMBDP_CRDS_DIR, else the copy committed in infra/imports/crds. */
export const CRDS_DIR = process.env.MYSIMBDP_CRDS_DIR ?? path.resolve(__dirname, '../../infra/imports/crds');

/** Model packages for custom resources that are not in infra/imports/crds. */
const MODEL_PACKAGES: Readonly<Record<string, string>> = {
  'keda.sh': '@kubernetes-models/keda',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

type Schema = Record<string, unknown>;

/** Closes every object schema that lists properties and does not preserve unknown fields. */
function closeObjects(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value !== null && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, closeObjects(v)]));
    } else if (['items', 'additionalProperties'].includes(key) && value !== null && typeof value === 'object') {
      out[key] = closeObjects(value as Schema);
    } else if (['anyOf', 'allOf', 'oneOf'].includes(key) && Array.isArray(value)) {
      out[key] = value.map((v: Schema) => closeObjects(v));
    } else {
      out[key] = value;
    }
  }
  if (out.properties !== undefined && out.additionalProperties === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

let crdValidators: Map<string, ValidateFunction> | undefined;

/** `group/version/Kind` → compiled validator, from every CRD file under CRDS_DIR. */
function loadCrdValidators(): Map<string, ValidateFunction> {
  if (crdValidators !== undefined) return crdValidators;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validators = new Map<string, ValidateFunction>();
  const files = fs.readdirSync(CRDS_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'));
  for (const file of files) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(CRDS_DIR, file), 'utf8'))) {
      const crd = doc.toJS() as { kind?: string; spec?: { group: string; names: { kind: string }; versions: { name: string; schema?: { openAPIV3Schema: Schema } }[] } } | null;
      if (crd?.kind !== 'CustomResourceDefinition' || crd.spec === undefined) continue;
      for (const version of crd.spec.versions) {
        if (version.schema === undefined) continue;
        // metadata is validated by the API server's ObjectMeta rules, not the CRD schema.
        const schema = closeObjects(version.schema.openAPIV3Schema);
        const properties = { ...(schema.properties as Record<string, Schema>), metadata: { type: 'object' } };
        validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajv.compile({ ...schema, properties }));
      }
    }
  }
  crdValidators = validators;
  return validators;
}

type ModelClass = new (data: unknown) => { validate(): void };

function modelClass(pkg: string, apiVersion: string, kind: string): ModelClass | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the model module depends on the object's apiVersion
    return (require(`${pkg}/${apiVersion}`) as Record<string, ModelClass | undefined>)[kind];
  } catch {
    return undefined;
  }
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** Every problem of one object, each prefixed `Kind namespace/name:`; empty when valid. */
export function manifestErrors(object: KubeObject): string[] {
  const where = `${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? '?'}`;
  const errors: string[] = [];
  if (typeof object.metadata?.name !== 'string' || !DNS_SUBDOMAIN.test(object.metadata.name) || object.metadata.name.length > 253) {
    errors.push(`${where}: metadata.name is not a DNS subdomain`);
  }
  // The OpenAPI schema types labels as strings only; the API server also checks their syntax.
  for (const [key, value] of Object.entries(object.metadata?.labels ?? {})) {
    if (!LABEL_NAME.test(key)) errors.push(`${where}: label name ${JSON.stringify(key)} is invalid`);
    if (value.length > 63 || !LABEL_VALUE.test(value)) errors.push(`${where}: label ${key} value ${JSON.stringify(value)} is invalid`);
  }
  const slash = object.apiVersion.indexOf('/');
  const group = slash === -1 ? '' : object.apiVersion.slice(0, slash);
  const version = object.apiVersion.slice(slash + 1);
  const crd = loadCrdValidators().get(`${group}/${version}/${object.kind}`);
  if (crd !== undefined) {
    if (!crd(object)) errors.push(...(crd.errors ?? []).map((e) => `${where}: ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`));
    return errors;
  }
  const pkg = MODEL_PACKAGES[group] ?? (group === '' || group.endsWith('.k8s.io') || !group.includes('.') ? 'kubernetes-models' : undefined);
  const Model = pkg === undefined ? undefined : modelClass(pkg, object.apiVersion, object.kind);
  if (Model === undefined) return [...errors, `${where}: no schema known for ${object.apiVersion} ${object.kind}`];
  try {
    new Model(object).validate();
  } catch (err) {
    errors.push(`${where}: ${(err as Error).message}`);
  }
  return errors;
}

/** All problems of all objects (empty when every object is valid). */
export function manifestsErrors(objects: readonly KubeObject[]): string[] {
  return objects.flatMap(manifestErrors);
}

/** Parses a multi-document YAML file written by writeManifests. */
export function readManifestFile(file: string): KubeObject[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS() as KubeObject);
}

interface Container {
  name: string;
  image?: string;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  securityContext?: { runAsNonRoot?: boolean; readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } };
}
interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean };
  containers: Container[];
  initContainers?: Container[];
}

/** The pod spec inside a workload object (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod). */
export function podSpecOf(object: KubeObject): PodSpec | undefined {
  const spec = object.spec as { template?: { spec?: PodSpec }; jobTemplate?: { spec?: { template?: { spec?: PodSpec } } } } | undefined;
  if (object.kind === 'Pod') return object.spec as PodSpec;
  if (object.kind === 'CronJob') return spec?.jobTemplate?.spec?.template?.spec;
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(object.kind)) return spec?.template?.spec;
  return undefined;
}

/**
 * The platform's container policy: cpu+memory requests and limits, non-root, read-only root
 * filesystem, no privilege escalation, all capabilities dropped, and exactly the stack's image.
 */
export function policyViolations(objects: readonly KubeObject[], expectedImage: string): string[] {
  const violations: string[] = [];
  for (const object of objects) {
    const pod = podSpecOf(object);
    if (pod === undefined) continue;
    for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
      const where = `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name} container ${c.name}`;
      for (const kind of ['requests', 'limits'] as const) {
        for (const resource of ['cpu', 'memory']) {
          if (c.resources?.[kind]?.[resource] === undefined) violations.push(`${where}: no resources.${kind}.${resource}`);
        }
      }
      if ((c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) !== true) violations.push(`${where}: runAsNonRoot is not true`);
      if (c.securityContext?.readOnlyRootFilesystem !== true) violations.push(`${where}: readOnlyRootFilesystem is not true`);
      if (c.securityContext?.allowPrivilegeEscalation !== false) violations.push(`${where}: allowPrivilegeEscalation is not false`);
      if (!(c.securityContext?.capabilities?.drop ?? []).includes('ALL')) violations.push(`${where}: capabilities do not drop ALL`);
      if (c.image !== expectedImage) violations.push(`${where}: image ${c.image} is not ${expectedImage}`);
      if (c.image === undefined || /:latest$/.test(c.image) || !/:[^/]+$/.test(c.image)) violations.push(`${where}: image ${c.image} has no pinned tag`);
    }
  }
  return violations;
}
