import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError } from '../../../infra/errors';
import { APISERVER_URL, CLUSTER_HOST, KUBERNETES_SERVICE_IP } from './cluster-endpoints';
import type { ClusterLayout } from './cluster-layout';

/** Files the control plane is started with; all under `<cache>/pki`. */
export interface ClusterPki {
  readonly caCert: string;
  readonly caKey: string;
  readonly servingCert: string;
  readonly servingKey: string;
  /** Service-account token signing key pair. */
  readonly serviceAccountKey: string;
  readonly serviceAccountPub: string;
  /** Static bearer tokens: the admin (system:masters) and the controller manager. */
  readonly tokenFile: string;
  readonly adminToken: string;
  readonly controllerManagerKubeconfig: string;
  /** The CA certificate itself, for clients that verify the API server. */
  readonly ca: Buffer;
}

const ADMIN_USER = 'mysimbdp-admin';
const CONTROLLER_MANAGER_USER = 'system:kube-controller-manager';
/** Names the `kubernetes` Service and loopback clients use for the API server. */
const SERVING_NAMES = [
  `IP:${CLUSTER_HOST}`,
  `IP:${KUBERNETES_SERVICE_IP}`,
  'DNS:localhost',
  'DNS:kubernetes',
  'DNS:kubernetes.default',
  'DNS:kubernetes.default.svc',
  'DNS:kubernetes.default.svc.cluster.local',
];

/**
 * Certificates, keys and tokens of the local control plane, made once with openssl and reused (a
 * later `up` keeps the kubeconfig that tools already read). Writes the admin kubeconfig too.
 */
export function ensurePki(layout: ClusterLayout): ClusterPki {
  const dir = layout.pkiDir;
  const file = (name: string): string => path.join(dir, name);
  const pki = pkiFiles(layout);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!fs.existsSync(pki.caCert)) {
    openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', pki.caKey, '-out', pki.caCert, '-subj', '/CN=mysimbdp-local-ca', '-days', '3650']);
    fs.rmSync(pki.servingCert, { force: true });
  }
  if (!fs.existsSync(pki.servingCert)) {
    const csr = file('apiserver.csr');
    const ext = file('apiserver.ext');
    fs.writeFileSync(ext, `subjectAltName=${SERVING_NAMES.join(',')}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n`);
    openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', pki.servingKey, '-out', csr, '-subj', '/CN=kube-apiserver']);
    openssl(dir, ['x509', '-req', '-in', csr, '-CA', pki.caCert, '-CAkey', pki.caKey, '-CAcreateserial', '-days', '3650', '-extfile', ext, '-out', pki.servingCert]);
  }
  if (!fs.existsSync(pki.serviceAccountPub)) {
    openssl(dir, ['genrsa', '-out', pki.serviceAccountKey, '2048']);
    openssl(dir, ['rsa', '-in', pki.serviceAccountKey, '-pubout', '-out', pki.serviceAccountPub]);
  }
  if (!fs.existsSync(pki.tokenFile)) {
    const token = (): string => randomBytes(24).toString('hex');
    fs.writeFileSync(pki.tokenFile, `${token()},${ADMIN_USER},${ADMIN_USER},"system:masters"\n${token()},${CONTROLLER_MANAGER_USER},${CONTROLLER_MANAGER_USER}\n`, { mode: 0o600 });
  }
  const read = readPki(layout) as ClusterPki;
  const managerToken = tokensByUser(pki.tokenFile).get(CONTROLLER_MANAGER_USER) as string;
  fs.writeFileSync(layout.kubeconfig, kubeconfig(read.ca, ADMIN_USER, read.adminToken), { mode: 0o600 });
  fs.writeFileSync(pki.controllerManagerKubeconfig, kubeconfig(read.ca, CONTROLLER_MANAGER_USER, managerToken), { mode: 0o600 });
  return read;
}

function pkiFiles(layout: ClusterLayout) {
  const file = (name: string): string => path.join(layout.pkiDir, name);
  return {
    caCert: file('ca.crt'),
    caKey: file('ca.key'),
    servingCert: file('apiserver.crt'),
    servingKey: file('apiserver.key'),
    serviceAccountKey: file('sa.key'),
    serviceAccountPub: file('sa.pub'),
    tokenFile: file('tokens.csv'),
    controllerManagerKubeconfig: file('controller-manager.kubeconfig'),
  };
}

/** token,user,uid[,"groups"] per line → token by user. */
function tokensByUser(tokenFile: string): Map<string, string> {
  return new Map(
    fs
      .readFileSync(tokenFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const [token, user] = line.split(',');
        return [user as string, token as string] as const;
      }),
  );
}

/** What `ensurePki` made, read without writing anything; undefined before the first `up`. */
export function readPki(layout: ClusterLayout): ClusterPki | undefined {
  const pki = pkiFiles(layout);
  if (!fs.existsSync(pki.tokenFile) || !fs.existsSync(pki.caCert)) return undefined;
  const tokens = tokensByUser(pki.tokenFile);
  const adminToken = tokens.get(ADMIN_USER);
  if (adminToken === undefined || !tokens.has(CONTROLLER_MANAGER_USER)) {
    throw new EngineError(`${pki.tokenFile} lacks the admin or controller-manager token; remove ${layout.pkiDir} to make new ones`);
  }
  return { ...pki, adminToken, ca: fs.readFileSync(pki.caCert) };
}

/** A kubeconfig for one token user of the local API server (context `mysimbdp-local`). */
function kubeconfig(ca: Buffer, user: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: mysimbdp-local',
    '  cluster:',
    `    server: ${APISERVER_URL}`,
    `    certificate-authority-data: ${ca.toString('base64')}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: mysimbdp-local',
    '  context:',
    '    cluster: mysimbdp-local',
    `    user: ${user}`,
    'current-context: mysimbdp-local',
    '',
  ].join('\n');
}

function openssl(cwd: string, args: readonly string[]): void {
  try {
    execFileSync('openssl', [...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const stderr = String((err as { stderr?: Buffer }).stderr ?? '').trim();
    throw new EngineError(`openssl ${args[0]} failed: ${stderr === '' ? (err as Error).message : stderr}`, { cause: err });
  }
}
