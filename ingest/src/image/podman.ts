import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError } from '../../../infra/errors';

// podman (and the buildah inside `podman build`) without a daemon. Two settings make it work in a
// sandbox whose container ulimits cannot be raised and where crun is refused: an empty list of
// default ulimits and Debian's runc, in a containers.conf of ours passed through CONTAINERS_CONF.

export const CONTAINERS_CONF = `# written by ingest/src/image/podman.ts
[containers]
# keep the caller's limits: raising them is refused in some sandboxes
default_ulimits = []

[engine]
runtime = "runc"
`;

/** Writes `<cacheDir>/containers.conf` (when it differs) and returns its path. */
export function ensureContainersConf(cacheDir: string): string {
  const file = path.join(cacheDir, 'containers.conf');
  fs.mkdirSync(cacheDir, { recursive: true });
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== CONTAINERS_CONF) fs.writeFileSync(file, CONTAINERS_CONF);
  return file;
}

export interface BuildArgsOptions {
  readonly repoRoot: string;
  readonly dockerfile: string;
  readonly ignoreFile: string;
  readonly tag: string;
  /** Dockerfile ARGs. */
  readonly buildArgs: Readonly<Record<string, string>>;
  /** A CA bundle the build's npm trusts besides Node's own (mounted as the `npm-ca` secret, never in a layer). @default none */
  readonly caFile?: string;
}

/** `podman build` of the runtime image: host network for npm, the Dockerfile's ignore file, layers cached. */
export function buildArgs(o: BuildArgsOptions): string[] {
  return [
    'build',
    '--network',
    'host',
    '--layers',
    '--pull=never',
    '--ignorefile',
    o.ignoreFile,
    '-f',
    o.dockerfile,
    ...Object.entries(o.buildArgs).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
    ...(o.caFile === undefined ? [] : ['--secret', `id=npm-ca,src=${o.caFile}`]),
    '-t',
    o.tag,
    o.repoRoot,
  ];
}

export interface Mount {
  readonly host: string;
  readonly container: string;
  /** @default false */
  readonly readOnly?: boolean;
}

export interface RunArgsOptions {
  readonly image: string;
  /** Container args after the ENTRYPOINT. */
  readonly args: readonly string[];
  readonly uid: number;
  /** The memory limit in bytes; swap is not allowed beyond it (as in a pod). */
  readonly memoryBytes: number;
  /** A cgroup of ours to run under (cgroupfs), which keeps the peak after the container is gone. */
  readonly cgroupParent: string;
  /** @default [] */
  readonly mounts?: readonly Mount[];
  /** @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** @default the container's */
  readonly name?: string;
}

/**
 * `podman run` the way the manifests run a pod (infra/constructs/common/secure-pod.ts): non-root
 * uid, read-only root filesystem with a tmpfs /tmp, no capabilities, no privilege escalation, the
 * memory limit; here on the host network, to the local engines on loopback.
 */
export function runArgs(o: RunArgsOptions): string[] {
  return [
    '--cgroup-manager',
    'cgroupfs',
    'run',
    '--rm',
    ...(o.name === undefined ? [] : ['--name', o.name]),
    '--network',
    'host',
    '--user',
    `${o.uid}:${o.uid}`,
    '--read-only',
    '--tmpfs',
    '/tmp',
    '--cap-drop',
    'all',
    '--security-opt',
    'no-new-privileges',
    '--memory',
    String(o.memoryBytes),
    '--memory-swap',
    String(o.memoryBytes),
    '--cgroup-parent',
    o.cgroupParent,
    ...(o.mounts ?? []).flatMap((m) => ['--volume', `${m.host}:${m.container}:${m.readOnly === true ? 'ro' : 'rw'}`]),
    ...Object.entries(o.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
    o.image,
    ...o.args,
  ];
}

export interface Podman {
  /** Runs podman with its output passed line by line to `line`; resolves its exit code. */
  stream(args: readonly string[], line: (text: string) => void): Promise<number>;
  /** Runs podman and resolves its stdout; rejects with its stderr when it fails. */
  output(args: readonly string[]): Promise<string>;
}

/** podman with our containers.conf. */
export function podman(containersConf: string): Podman {
  const env = { ...process.env, CONTAINERS_CONF: containersConf };
  return {
    stream: (args, line) =>
      new Promise((resolve, reject) => {
        const child = spawn('podman', [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        for (const out of [child.stdout, child.stderr]) {
          let pending = '';
          out.setEncoding('utf8').on('data', (chunk: string) => {
            const lines = (pending + chunk).split('\n');
            pending = lines.pop() ?? '';
            for (const l of lines) line(l);
          });
          out.on('end', () => {
            if (pending !== '') line(pending);
          });
        }
        child.once('error', (err) => reject(new EngineError(`podman could not start: ${err.message} (apt-get install podman buildah runc)`, { cause: err })));
        child.once('close', (code) => resolve(code ?? 1));
      }),
    output: (args) =>
      new Promise((resolve, reject) => {
        execFile('podman', [...args], { env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
          if (err === null) return resolve(stdout);
          reject(new EngineError(`podman ${args[0] ?? ''} failed (exit ${String(err.code)}): ${stderr.trim().split('\n').slice(-8).join('\n')}`, { cause: err }));
        });
      }),
  };
}
