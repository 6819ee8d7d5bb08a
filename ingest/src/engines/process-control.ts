import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { EngineError } from '../../../infra/errors';

export interface DetachedProcess {
  /** Tag put on the command line (`-Dmysimbdp.engine=<name>`) so a pid file can be checked against a reused pid. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** stdout and stderr are appended here. */
  readonly logFile: string;
  readonly pidFile: string;
}

/** The marker argument that identifies an engine's process; place it among the JVM options. */
export function engineMarker(name: string): string {
  return `-Dmysimbdp.engine=${name}`;
}

/**
 * Starts a process in its own session (detached: it outlives the caller, and a terminal's hang-up
 * does not reach it), with output appended to its log file and its pid written to its pid file.
 */
export function startDetached(proc: DetachedProcess): number {
  fs.mkdirSync(path.dirname(proc.logFile), { recursive: true });
  fs.mkdirSync(path.dirname(proc.pidFile), { recursive: true });
  const log = fs.openSync(proc.logFile, 'a');
  // the header names the command without its long classpath, so a log tail stays readable
  const shown = proc.args.map((arg, i) => (proc.args[i - 1] === '-cp' ? `<${arg.split(path.delimiter).length} classpath entries>` : arg));
  fs.writeSync(log, `\n==== ${new Date().toISOString()} ${proc.command} ${shown.join(' ')}\n`);
  const child = spawn(proc.command, [...proc.args], { cwd: proc.cwd, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  // a missing command shows as no pid plus an 'error' event, which must not go unhandled
  child.once('error', () => undefined);
  if (child.pid === undefined) throw new EngineError(`could not start ${proc.command} for ${proc.name}: command not found`);
  child.unref();
  fs.writeFileSync(proc.pidFile, `${child.pid}\n`);
  return child.pid;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch {
    return false;
  }
}

function isZombie(pid: number): boolean {
  try {
    return /\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * The pid in the pid file when that process is alive and carries `marker` among its arguments (an
 * engine's `engineMarker`, or a binary's absolute path as its first argument): not a reused pid.
 */
export function ownedPid(pidFile: string, marker: string): number | undefined {
  if (!fs.existsSync(pidFile)) return undefined;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmdline.includes(marker) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** SIGTERM to the process group, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopProcess(pid: number, graceMs: number): Promise<'terminated' | 'killed'> {
  signalGroup(pid, 'SIGTERM');
  if (await waitFor(() => !isAlive(pid), graceMs, 200)) return 'terminated';
  signalGroup(pid, 'SIGKILL');
  await waitFor(() => !isAlive(pid), 10_000, 100);
  return 'killed';
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Whether something accepts TCP connections on host:port. */
export function isListening(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (up: boolean): void => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The ports of `ports` something listens on at `host`. */
export async function listeningPorts(ports: readonly number[], host: string): Promise<number[]> {
  const up = await Promise.all(ports.map(async (port) => ((await isListening(port, host)) ? port : undefined)));
  return up.filter((port): port is number => port !== undefined);
}

/** Polls `check` every `intervalMs` until it is true (→ true) or `timeoutMs` passed (→ false). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The last `lines` lines of a file ('' when it does not exist). */
export function tailFile(file: string, lines: number): string {
  if (!fs.existsSync(file)) return '';
  const size = fs.statSync(file).size;
  const length = Math.min(size, 64 * 1024);
  const buf = Buffer.alloc(length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, buf, 0, length, size - length);
  } finally {
    fs.closeSync(fd);
  }
  return buf.toString('utf8').split('\n').slice(-lines).join('\n');
}

/**
 * Runs `fn` holding an exclusive lock file (several test runs and helpers may call `engines:up` at
 * once). A lock whose holder died is taken over.
 */
export async function withLock<T>(lockFile: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  const acquired = await waitFor(() => tryLock(lockFile), timeoutMs, 250);
  if (!acquired) throw new EngineError(`timed out after ${timeoutMs} ms waiting for ${lockFile} (held by pid ${fs.readFileSync(lockFile, 'utf8').trim()})`);
  try {
    return await fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

function tryLock(lockFile: string): boolean {
  try {
    fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    try {
      const holder = Number(fs.readFileSync(lockFile, 'utf8').trim());
      // an empty file younger than a second is a lock being written, not a dead one
      const writing = holder === 0 && Date.now() - fs.statSync(lockFile).mtimeMs < 1000;
      if (!writing && (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder))) fs.rmSync(lockFile, { force: true });
    } catch (gone) {
      // released between our attempt and this look: try again on the next poll
      if ((gone as NodeJS.ErrnoException).code !== 'ENOENT') throw gone;
    }
    return false;
  }
}
