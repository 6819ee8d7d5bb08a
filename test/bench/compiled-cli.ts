// The compiled CLI (ingest/dist, what the image runs) as a child process with the image's heap caps,
// sampled for CPU and peak RSS: what the batch and peer benchmarks measure.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { engineLayout } from '../../ingest/src/engines';
import { platformCredentialsFile } from '../../ingest/src/engines/platform-credentials';
import { dockerfileEnv, imagePaths } from '../../ingest/src/image/image-spec';

export const ROOT = path.join(__dirname, '../..');
const MAIN = path.join(ROOT, 'ingest/dist/ingest/src/main.js');
/** The runtime stage's ENV of ingest/Dockerfile: NODE_OPTIONS as node flags, the rest (MALLOC_ARENA_MAX, …) as environment. */
export const { NODE_OPTIONS: imageNodeOptions = '', ...IMAGE_ENV } = dockerfileEnv(fs.readFileSync(imagePaths(ROOT).dockerfile, 'utf8'));
export const IMAGE_NODE_OPTIONS = imageNodeOptions.split(' ').filter((o) => o !== '');

export interface Run {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
  readonly code: number | null;
  /** The first `"msg":"file"` log line, when there was one. */
  readonly fileLine?: Record<string, unknown>;
}

/** CPU seconds (user + system) and peak RSS of a process, from /proc (Linux, 100 ticks/s). */
export function procStat(pid: number): { cpu: number; hwmKiB: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return { cpu: (Number(stat[11]) + Number(stat[12])) / 100, hwmKiB: Number(hwm?.[1] ?? 0) };
  } catch {
    return undefined;
  }
}

let built = false;

/** Compiles ingest/dist once per process, as the image does (ingest/scripts/build-dist.cjs). */
export function buildCompiledCli(): void {
  if (built) return;
  process.stdout.write('building ingest/dist (npm run build -w ingest)...\n');
  execFileSync('npm', ['run', 'build', '--workspace', 'ingest'], { cwd: ROOT, stdio: 'inherit' });
  built = true;
}

/**
 * The login of a compiled run: it lives under ingest/dist, so its default engines cache is not the
 * repository's; the platform's unless `env` names another.
 */
export function compiledEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { CREDENTIALS_FILE: platformCredentialsFile(engineLayout()), ...env };
}

/**
 * Node flags of every compiled run: the image's caps, then BENCH_NODE_FLAGS (space-separated, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof`, which NODE_OPTIONS refuses).
 */
function nodeFlags(): string[] {
  return [...IMAGE_NODE_OPTIONS, ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '')];
}

/** Runs the compiled CLI with the image's heap caps; samples CPU and peak RSS (VmHWM) from /proc. */
export function runCompiled(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  buildCompiledCli();
  const child = spawn(process.execPath, [...nodeFlags(), MAIN, ...args], { env: { ...process.env, ...IMAGE_ENV, ...compiledEnv(env) }, stdio: ['ignore', 'ignore', 'pipe'] });
  const t0 = performance.now();
  let last = { cpu: 0, hwmKiB: 0 };
  const sampler = setInterval(() => {
    // A finished (zombie) process has no VmHWM: keep the highest mark seen.
    const now = procStat(child.pid!);
    if (now !== undefined) last = { cpu: Math.max(last.cpu, now.cpu), hwmKiB: Math.max(last.hwmKiB, now.hwmKiB) };
  }, 100);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearInterval(sampler);
      const fileLine = stderr.split('\n').filter((l) => l.includes('"msg":"file"')).map((l) => JSON.parse(l) as Record<string, unknown>)[0];
      if (code !== 0) process.stderr.write(stderr);
      resolve({ seconds: (performance.now() - t0) / 1000, cpuSeconds: last.cpu, peakRssMiB: last.hwmKiB / 1024, code, ...(fileLine === undefined ? {} : { fileLine }) });
    });
  });
}

/** Spawns the compiled CLI in the background (a long-running sink), with the image's caps. */
export function startCompiled(args: readonly string[], env: NodeJS.ProcessEnv): ReturnType<typeof spawn> {
  buildCompiledCli();
  return spawn(process.execPath, [...nodeFlags(), MAIN, ...args], { env: { ...process.env, ...IMAGE_ENV, ...compiledEnv(env) }, stdio: 'ignore' });
}

/** The machine's 1-minute load average. */
export function loadAverage(): number {
  return Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

/** Pids of a process and all its descendants, from /proc. */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      children = children.concat(fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter((x) => x !== '').map(Number));
    }
  } catch {
    return [pid];
  }
  return [pid, ...children.flatMap(processTree)];
}

/**
 * CPU seconds a process tree uses until `stop()` (a cqlsh COPY and its worker processes): /proc
 * sampled every 100 ms, each process's highest reading kept, so a worker that exited still counts.
 */
export function treeCpuMeter(pid: number): { stop(): number } {
  const seen = new Map<number, number>();
  const sample = (): void => {
    for (const p of processTree(pid)) {
      const cpu = procStat(p)?.cpu;
      if (cpu !== undefined) seen.set(p, Math.max(seen.get(p) ?? 0, cpu));
    }
  };
  const timer = setInterval(sample, 100);
  sample();
  return {
    stop: () => {
      clearInterval(timer);
      return [...seen.values()].reduce((a, b) => a + b, 0);
    },
  };
}
