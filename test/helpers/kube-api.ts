import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { APISERVER_URL, clusterLayout, kubectl } from '../../ingest/src/cluster';

export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; ownerReferences?: { kind: string; name: string; uid: string }[]; uid?: string };
  spec?: any;
  status?: any;
  [key: string]: unknown;
};

export interface KubeResponse {
  readonly status: number;
  readonly body: any;
}

export const layout = clusterLayout();

/** The admin token and CA of the local cluster, read from its kubeconfig. */
export function credentials(): { token: string; ca: Buffer } {
  const text = fs.readFileSync(layout.kubeconfig, 'utf8');
  const token = /token: (\S+)/.exec(text)?.[1];
  const ca = /certificate-authority-data: (\S+)/.exec(text)?.[1];
  if (token === undefined || ca === undefined) throw new Error(`${layout.kubeconfig} has no token or CA`);
  return { token, ca: Buffer.from(ca, 'base64') };
}

/** One request to the local API server; the response body parsed (a Status object on errors). */
export function kubeRequest(method: string, apiPath: string, body?: unknown): Promise<KubeResponse> {
  const { token, ca } = credentials();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(`${APISERVER_URL}${apiPath}`, { method, ca, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** REST path of a kind's collection: `/api/v1/namespaces/ns/pods`, `/apis/batch/v1/namespaces/ns/cronjobs`. */
export function collectionPath(apiVersion: string, plural: string, namespace?: string): string {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return namespace === undefined ? `${base}/${plural}` : `${base}/namespaces/${namespace}/${plural}`;
}

/** Items of a collection (throws with the API server's message on an error). */
export async function list(apiVersion: string, plural: string, namespace?: string, labelSelector?: string): Promise<KubeObject[]> {
  const query = labelSelector === undefined ? '' : `?labelSelector=${encodeURIComponent(labelSelector)}`;
  const res = await kubeRequest('GET', `${collectionPath(apiVersion, plural, namespace)}${query}`);
  if (res.status !== 200) throw new Error(`list ${plural}: HTTP ${res.status}: ${res.body?.message}`);
  return res.body.items as KubeObject[];
}

/** Every object of every YAML file in `dir`. */
export function readManifests(dir: string): KubeObject[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJSON() as KubeObject))
    .filter((o) => o !== null);
}

/** `kubectl apply --server-side` of files or folders; resolves kubectl's output. */
export function applyServerSide(...paths: string[]): Promise<string> {
  return kubectl(layout, ['apply', '--server-side', '--field-manager=mysimbdp-test', ...paths.flatMap((p) => ['-f', p])]);
}

/** Polls until `check` returns a value (not undefined), or throws `describe()` after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, describe: () => Promise<string>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(await describe());
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The messages of FailedCreate events in a namespace: what admission said when it refused a Pod. */
export async function failedCreates(namespace: string): Promise<string[]> {
  const events = await list('v1', 'events', namespace);
  return events.filter((e: any) => e.reason === 'FailedCreate').map((e: any) => `${e.involvedObject.kind}/${e.involvedObject.name}: ${e.message}`);
}

// The plurals of the kinds synth emits, for REST paths (the API server's discovery would say the same).
const PLURALS: Record<string, string> = {
  Namespace: 'namespaces', PersistentVolume: 'persistentvolumes', PersistentVolumeClaim: 'persistentvolumeclaims', ConfigMap: 'configmaps',
  Service: 'services', ServiceAccount: 'serviceaccounts', ResourceQuota: 'resourcequotas', LimitRange: 'limitranges', Secret: 'secrets',
  Deployment: 'deployments', CronJob: 'cronjobs', Job: 'jobs', NetworkPolicy: 'networkpolicies', PodDisruptionBudget: 'poddisruptionbudgets',
  Role: 'roles', RoleBinding: 'rolebindings', Kafka: 'kafkas', KafkaNodePool: 'kafkanodepools', KafkaTopic: 'kafkatopics',
  KafkaUser: 'kafkausers', KafkaConnect: 'kafkaconnects', KafkaConnector: 'kafkaconnectors', CassandraDatacenter: 'cassandradatacenters',
  ScaledObject: 'scaledobjects', TriggerAuthentication: 'triggerauthentications', PodMonitor: 'podmonitors', ServiceMonitor: 'servicemonitors',
  PrometheusRule: 'prometheusrules',
};

export const objectPath = (o: KubeObject): string => {
  const plural = PLURALS[o.kind];
  if (plural === undefined) throw new Error(`no plural known for kind ${o.kind}`);
  return `${collectionPath(o.apiVersion, plural, o.metadata.namespace)}/${o.metadata.name}`;
};
export const id = (o: KubeObject): string => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** Deletes the stack's namespaces and cluster-scoped objects and waits until every object is gone. */
export async function removeAll(objects: readonly KubeObject[]): Promise<void> {
  for (const o of objects.filter((x) => x.metadata.namespace === undefined)) {
    const res = await kubeRequest('DELETE', objectPath(o));
    if (res.status !== 200 && res.status !== 202 && res.status !== 404) throw new Error(`delete ${id(o)}: HTTP ${res.status}: ${res.body?.message}`);
  }
  await eventually(
    async () => ((await Promise.all(objects.map(async (o) => (await kubeRequest('GET', objectPath(o))).status))).every((s) => s === 404) ? true : undefined),
    120_000,
    async () => `still present after delete: ${(await Promise.all(objects.map(async (o) => ((await kubeRequest('GET', objectPath(o))).status === 404 ? '' : id(o))))).filter(Boolean).join(', ')}`,
  );
}

