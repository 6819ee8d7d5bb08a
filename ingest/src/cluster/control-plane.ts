import * as fs from 'node:fs';
import * as https from 'node:https';
import * as http from 'node:http';
import * as path from 'node:path';
import { EngineError } from '../../../infra/errors';
import { isAlive, isListening, listeningPorts, ownedPid, sleep, startDetached, stopProcess, tailFile, waitFor, withLock } from '../engines/process-control';
import { APISERVER_PORT, APISERVER_URL, CLUSTER_HOST, CONTROLLER_MANAGER_PORT, ETCD_CLIENT_PORT, ETCD_PEER_PORT, SERVICE_CIDR } from './cluster-endpoints';
import { clusterBinary, clusterLayout, type ClusterLayout } from './cluster-layout';
import { ensurePki, readPki, type ClusterPki } from './cluster-pki';
import { ensureBinaries, type BinariesOutcome } from './go-binaries';
import { applyOperatorCrds, type CrdsOutcome } from './operator-crds';

export type ComponentName = 'etcd' | 'kube-apiserver' | 'kube-controller-manager';

/** One process of the control plane: how to start it and how to tell it answers. */
interface ClusterComponent {
  readonly name: ComponentName;
  readonly endpoint: string;
  /** Every port it binds; `down` waits until none of them listens. */
  readonly ports: readonly number[];
  readonly startTimeoutMs: number;
  args(layout: ClusterLayout, pki: ClusterPki): readonly string[];
  /** A real request; a one-line description when it answers, undefined otherwise. */
  probe(pki: ClusterPki | undefined): Promise<string | undefined>;
}

const etcd: ClusterComponent = {
  name: 'etcd',
  endpoint: `http://${CLUSTER_HOST}:${ETCD_CLIENT_PORT}`,
  ports: [ETCD_CLIENT_PORT, ETCD_PEER_PORT],
  startTimeoutMs: 60_000,
  // plain HTTP is acceptable only because nothing but loopback can reach it
  args: (layout) => [
    '--name=mysimbdp-local',
    `--data-dir=${path.join(layout.dataDir, 'etcd')}`,
    `--listen-client-urls=http://${CLUSTER_HOST}:${ETCD_CLIENT_PORT}`,
    `--advertise-client-urls=http://${CLUSTER_HOST}:${ETCD_CLIENT_PORT}`,
    `--listen-peer-urls=http://${CLUSTER_HOST}:${ETCD_PEER_PORT}`,
    `--initial-advertise-peer-urls=http://${CLUSTER_HOST}:${ETCD_PEER_PORT}`,
    `--initial-cluster=mysimbdp-local=http://${CLUSTER_HOST}:${ETCD_PEER_PORT}`,
    '--log-level=warn',
  ],
  probe: async () => {
    const health = await get(`http://${CLUSTER_HOST}:${ETCD_CLIENT_PORT}/health`);
    if (health === undefined || !/"health":\s*"true"/.test(health)) return undefined;
    const version = await get(`http://${CLUSTER_HOST}:${ETCD_CLIENT_PORT}/version`);
    return `etcd ${(JSON.parse(version ?? '{}') as { etcdserver?: string }).etcdserver ?? 'unknown version'}`;
  },
};

const apiserver: ClusterComponent = {
  name: 'kube-apiserver',
  endpoint: APISERVER_URL,
  ports: [APISERVER_PORT],
  startTimeoutMs: 120_000,
  args: (_layout, pki) => [
    `--etcd-servers=http://${CLUSTER_HOST}:${ETCD_CLIENT_PORT}`,
    `--bind-address=${CLUSTER_HOST}`,
    `--advertise-address=${CLUSTER_HOST}`,
    `--secure-port=${APISERVER_PORT}`,
    `--tls-cert-file=${pki.servingCert}`,
    `--tls-private-key-file=${pki.servingKey}`,
    `--client-ca-file=${pki.caCert}`,
    `--token-auth-file=${pki.tokenFile}`,
    '--anonymous-auth=false',
    '--authorization-mode=RBAC',
    `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
    `--service-account-key-file=${pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    // no kubelet and no node addresses: the `kubernetes` Service's endpoints are not maintained
    '--endpoint-reconciler-type=none',
    // the default admission chain (NamespaceLifecycle, LimitRanger, ServiceAccount, PodSecurity,
    // ResourceQuota, …) stays as a real cluster has it
  ],
  probe: async (pki) => {
    if (pki === undefined) return undefined;
    const ready = await get(`${APISERVER_URL}/readyz`, pki);
    if (ready !== 'ok') return undefined;
    const version = JSON.parse((await get(`${APISERVER_URL}/version`, pki)) ?? '{}') as { gitVersion?: string };
    return `Kubernetes ${version.gitVersion ?? 'unknown version'}`;
  },
};

const controllerManager: ClusterComponent = {
  name: 'kube-controller-manager',
  endpoint: `https://${CLUSTER_HOST}:${CONTROLLER_MANAGER_PORT}`,
  ports: [CONTROLLER_MANAGER_PORT],
  startTimeoutMs: 60_000,
  args: (_layout, pki) => [
    `--kubeconfig=${pki.controllerManagerKubeconfig}`,
    `--authentication-kubeconfig=${pki.controllerManagerKubeconfig}`,
    `--authorization-kubeconfig=${pki.controllerManagerKubeconfig}`,
    `--bind-address=${CLUSTER_HOST}`,
    `--secure-port=${CONTROLLER_MANAGER_PORT}`,
    `--service-account-private-key-file=${pki.serviceAccountKey}`,
    `--root-ca-file=${pki.caCert}`,
    `--cluster-signing-cert-file=${pki.caCert}`,
    `--cluster-signing-key-file=${pki.caKey}`,
    '--use-service-account-credentials=true',
    '--leader-elect=false',
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
  ],
  // /healthz is open without credentials; its serving certificate is self-signed, on loopback
  probe: async () => ((await get(`https://${CLUSTER_HOST}:${CONTROLLER_MANAGER_PORT}/healthz`)) === 'ok' ? 'controllers running' : undefined),
};

/** Start order; stop runs it backwards. */
export const CLUSTER_COMPONENTS: readonly ClusterComponent[] = [etcd, apiserver, controllerManager];

const componentFiles = (layout: ClusterLayout, name: ComponentName) => ({
  binary: clusterBinary(layout, name),
  logFile: path.join(layout.logDir, `${name}.log`),
  pidFile: path.join(layout.runDir, `${name}.pid`),
});

export interface ComponentOutcome {
  readonly name: ComponentName;
  readonly endpoint: string;
  readonly state: 'reused' | 'started';
  readonly pid: number | undefined;
  readonly answer: string;
  readonly elapsedMs: number;
}

export interface ClusterOutcome {
  readonly binaries: BinariesOutcome;
  readonly components: readonly ComponentOutcome[];
  readonly crds: CrdsOutcome;
  readonly kubeconfig: string;
  readonly elapsedMs: number;
}

export interface EnsureClusterOptions {
  /** @default $CLUSTER_CACHE_DIR, else `<repo>/.cache/cluster` */
  readonly cacheDir?: string;
  /** Progress lines. @default no output */
  readonly progress?: (line: string) => void;
}

/** A cold build of kube-apiserver fits in it; concurrent `up`s wait for the first. */
const LOCK_TIMEOUT_MS = 40 * 60_000;
const upLock = (layout: ClusterLayout): string => path.join(layout.runDir, 'up.lock');

/**
 * Makes the local control plane answer on loopback: builds (or reuses) its binaries, makes its
 * certificates, starts etcd, kube-apiserver and kube-controller-manager (reusing those that answer),
 * and applies the operators' CRDs server-side. Safe to call from several processes at once.
 */
export async function ensureCluster(options: EnsureClusterOptions = {}): Promise<ClusterOutcome> {
  const layout = clusterLayout(options.cacheDir);
  const progress = options.progress ?? (() => undefined);
  const started = Date.now();
  return withLock(upLock(layout), LOCK_TIMEOUT_MS, async () => {
    const binaries = await ensureBinaries(layout, progress);
    const pki = ensurePki(layout);
    const components: ComponentOutcome[] = [];
    for (const component of CLUSTER_COMPONENTS) components.push(await ensureComponent(component, layout, pki, progress));
    const crds = await applyOperatorCrds(layout, progress);
    return { binaries, components, crds, kubeconfig: layout.kubeconfig, elapsedMs: Date.now() - started };
  });
}

/** Builds the binaries only (CI does this before the tests, with its own progress). */
export async function buildCluster(options: EnsureClusterOptions = {}): Promise<BinariesOutcome> {
  const layout = clusterLayout(options.cacheDir);
  return withLock(upLock(layout), LOCK_TIMEOUT_MS, () => ensureBinaries(layout, options.progress ?? (() => undefined)));
}

async function ensureComponent(component: ClusterComponent, layout: ClusterLayout, pki: ClusterPki, progress: (line: string) => void): Promise<ComponentOutcome> {
  const started = Date.now();
  const files = componentFiles(layout, component.name);
  const outcome = (state: ComponentOutcome['state'], pid: number | undefined, answer: string): ComponentOutcome => ({
    name: component.name,
    endpoint: component.endpoint,
    state,
    pid,
    answer,
    elapsedMs: Date.now() - started,
  });
  const answer = await component.probe(pki);
  if (answer !== undefined) return outcome('reused', ownedPid(files.pidFile, files.binary), answer);
  const starting = ownedPid(files.pidFile, files.binary);
  if (starting !== undefined) {
    progress(`${component.name}: pid ${starting} is still starting, waiting for it`);
    return outcome('reused', starting, await awaitAnswer(component, pki, starting, files.logFile));
  }
  for (const port of component.ports) {
    if (await isListening(port, CLUSTER_HOST)) {
      throw new EngineError(`${component.name}: port ${CLUSTER_HOST}:${port} is taken by a process that does not answer as ${component.name} (see \`ss -ltnp 'sport = :${port}'\`)`);
    }
  }
  const pid = startDetached({ name: component.name, command: files.binary, args: component.args(layout, pki), cwd: layout.cacheDir, logFile: files.logFile, pidFile: files.pidFile });
  progress(`${component.name}: started pid ${pid}, log ${path.relative(layout.repoRoot, files.logFile)}`);
  return outcome('started', pid, await awaitAnswer(component, pki, pid, files.logFile));
}

async function awaitAnswer(component: ClusterComponent, pki: ClusterPki, pid: number, logFile: string): Promise<string> {
  const deadline = Date.now() + component.startTimeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) throw new EngineError(`${component.name} (pid ${pid}) exited during start-up; last lines of ${logFile}:\n${tailFile(logFile, 30)}`);
    const answer = await component.probe(pki);
    if (answer !== undefined) return answer;
    await sleep(250);
  }
  await stopProcess(pid, 10_000);
  throw new EngineError(`${component.name} (pid ${pid}) did not answer at ${component.endpoint} within ${component.startTimeoutMs / 1000} s and was stopped; last lines of ${logFile}:\n${tailFile(logFile, 30)}`);
}

export interface ComponentStop {
  readonly name: ComponentName;
  /** `foreign`: something else answers on its port and was left alone. */
  readonly state: 'stopped' | 'killed' | 'not-running' | 'foreign';
  readonly pid: number | undefined;
  readonly elapsedMs: number;
}

/** Stops what `up` started (controller manager, API server, etcd) and waits until their ports close. */
export async function stopCluster(cacheDir?: string): Promise<ComponentStop[]> {
  const layout = clusterLayout(cacheDir);
  return withLock(upLock(layout), LOCK_TIMEOUT_MS, async () => {
    const outcomes: ComponentStop[] = [];
    for (const component of [...CLUSTER_COMPONENTS].reverse()) {
      const files = componentFiles(layout, component.name);
      const started = Date.now();
      const pid = ownedPid(files.pidFile, files.binary);
      fs.rmSync(files.pidFile, { force: true });
      if (pid === undefined) {
        const busy = await listening(component);
        outcomes.push({ name: component.name, state: busy.length > 0 ? 'foreign' : 'not-running', pid: undefined, elapsedMs: Date.now() - started });
        continue;
      }
      const how = await stopProcess(pid, 30_000);
      if (!(await waitFor(async () => (await listening(component)).length === 0, 30_000, 200))) {
        throw new EngineError(`${component.name}: pid ${pid} ended but ports ${(await listening(component)).join(', ')} still listen`);
      }
      outcomes.push({ name: component.name, state: how === 'terminated' ? 'stopped' : 'killed', pid, elapsedMs: Date.now() - started });
    }
    return outcomes;
  });
}

const listening = (component: ClusterComponent): Promise<number[]> => listeningPorts(component.ports, CLUSTER_HOST);

export interface ComponentStatus {
  readonly name: ComponentName;
  readonly endpoint: string;
  readonly answer: string | undefined;
  readonly pid: number | undefined;
}

/** Whether each component answers, and whether `up` started it. */
export async function clusterStatus(cacheDir?: string): Promise<ComponentStatus[]> {
  const layout = clusterLayout(cacheDir);
  const pki = readPki(layout);
  return Promise.all(
    CLUSTER_COMPONENTS.map(async (component) => {
      const files = componentFiles(layout, component.name);
      return { name: component.name, endpoint: component.endpoint, answer: await component.probe(pki), pid: ownedPid(files.pidFile, files.binary) };
    }),
  );
}

/** GET on loopback: the body of a 200, else undefined. With `pki`, HTTPS verified by the local CA with the admin token. */
function get(url: string, pki?: ClusterPki): Promise<string | undefined> {
  return new Promise((resolve) => {
    const secure = url.startsWith('https:');
    const options: https.RequestOptions = secure
      ? pki === undefined
        ? { rejectUnauthorized: false }
        : { ca: pki.ca, headers: { authorization: `Bearer ${pki.adminToken}` } }
      : {};
    const req = (secure ? https : http).get(url, { ...options, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(res.statusCode === 200 ? body.trim() : undefined));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}
