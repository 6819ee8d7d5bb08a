import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineCredentials } from '../../../infra/credentials';
import { EngineError } from '../../../infra/errors';
import { cassandraServer } from './cassandra-server';
import { connectServer } from './connect-server';
import { engineLayout, type EngineLayout } from './engine-layout';
import { engineFiles, type EngineName, type EngineServer } from './engine-server';
import { javaCommand } from './java-runtime';
import { kafkaServer } from './kafka-server';
import { ensurePlatformCredentials, platformCredentialsFile, readPlatformCredentials } from './platform-credentials';
import { resolveClasspath } from './maven-artifacts';
import { every, PROGRESS_INTERVAL_MS } from '../progress';
import { engineMarker, isAlive, isListening, listeningPorts, ownedPid, sleep, startDetached, stopProcess, tailFile, waitFor, withLock } from './process-control';
import { ENGINE_HOST } from './endpoints';

export const ENGINE_SERVERS: Readonly<Record<EngineName, EngineServer>> = {
  kafka: kafkaServer,
  cassandra: cassandraServer,
  connect: connectServer,
};

export interface EngineOutcome {
  readonly name: EngineName;
  readonly endpoint: string;
  /** `reused`: it answered already (started earlier, by this tool or not); `started`: this call launched it. */
  readonly state: 'reused' | 'started';
  /** Pid when this tool started it (now or earlier); undefined for an engine someone else runs. */
  readonly pid: number | undefined;
  /** What the engine answered (version, cluster id). */
  readonly answer: string;
  /** How the Maven classpath was had, for a started engine: from the cached list or by running Maven. */
  readonly classpath?: { readonly cached: boolean; readonly elapsedMs: number };
  readonly elapsedMs: number;
}

export interface EnsureEnginesOptions {
  /** Also start Kafka Connect (after Kafka). @default false */
  readonly connect?: boolean;
  /** Cache folder for classpaths, configs, data, logs, pid files. @default $ENGINES_CACHE_DIR, else `<repo>/.cache/engines` */
  readonly cacheDir?: string;
  /** Progress lines (e.g. `line => process.stderr.write(line + '\n')`). @default no output */
  readonly progress?: (line: string) => void;
}

/** Serialises concurrent `up`s and `down`s (several test runs on one machine); the longest cold start fits in it. */
const LOCK_TIMEOUT_MS = 15 * 60_000;
const upLock = (layout: EngineLayout): string => path.join(layout.runDir, 'up.lock');

/**
 * Makes Kafka and Cassandra (and Kafka Connect with `connect: true`) answer on loopback: reuses
 * engines that already answer, starts the others from their Maven classpath, and resolves once each
 * answers a real request. Safe to call from several processes at once.
 */
export async function ensureEngines(options: EnsureEnginesOptions = {}): Promise<EngineOutcome[]> {
  const layout = engineLayout(options.cacheDir);
  const progress = options.progress ?? (() => undefined);
  return withLock(upLock(layout), LOCK_TIMEOUT_MS, async () => {
    // Kafka and Cassandra start side by side; Connect starts as soon as Kafka answers.
    const platform = ensurePlatformCredentials(layout);
    const kafkaThenConnect = async (): Promise<EngineOutcome[]> => {
      const kafka = await ensureEngine(kafkaServer, layout, platform, progress);
      return options.connect ?? false ? [kafka, await ensureEngine(connectServer, layout, platform, progress)] : [kafka];
    };
    const [kafkaSide, cassandraSide] = await allOrNothing([kafkaThenConnect(), ensureEngine(cassandraServer, layout, platform, progress).then((o) => [o])], (names) => stopOwned(layout, names));
    const [kafka, ...connect] = kafkaSide!;
    return [kafka!, ...cassandraSide!, ...connect];
  });
}

/**
 * Waits for every start. When one failed, stops what the others started (a test run's setup that
 * throws has no teardown, so an engine it started would be left running), then throws the first
 * failure.
 */
export async function allOrNothing(starts: readonly Promise<EngineOutcome[]>[], stop: (names: EngineName[]) => Promise<unknown>): Promise<EngineOutcome[][]> {
  const settled = await Promise.allSettled(starts);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  const done = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (failed === undefined) return done;
  const startedHere = done.flat().filter((o) => o.state === 'started').map((o) => o.name);
  if (startedHere.length > 0) await stop(startedHere).catch(() => undefined);
  throw failed.reason;
}

/** Kafka Connect's REST API on 127.0.0.1:8083 (and the Kafka it needs); see `ensureEngines`. */
export async function ensureConnect(options: Omit<EnsureEnginesOptions, 'connect'> = {}): Promise<EngineOutcome> {
  const layout = engineLayout(options.cacheDir);
  const progress = options.progress ?? (() => undefined);
  return withLock(upLock(layout), LOCK_TIMEOUT_MS, async () => {
    const platform = ensurePlatformCredentials(layout);
    await ensureEngine(kafkaServer, layout, platform, progress);
    return ensureEngine(connectServer, layout, platform, progress);
  });
}

/** One engine: reuse it when it answers, wait for one of ours still starting, else start it. */
export async function ensureEngine(server: EngineServer, layout: EngineLayout, platform: EngineCredentials, progress: (line: string) => void): Promise<EngineOutcome> {
  const started = Date.now();
  const files = engineFiles(layout, server.name);
  const answer = await server.probe(platform);
  if (answer !== undefined) {
    return { name: server.name, endpoint: server.endpoint, state: 'reused', pid: ownedPid(files.pidFile, engineMarker(server.name)), answer, elapsedMs: Date.now() - started };
  }
  // One of ours still starting (an earlier `up` gave up waiting, or was interrupted): wait for it.
  const starting = ownedPid(files.pidFile, engineMarker(server.name));
  if (starting !== undefined) {
    progress(`${server.name}: pid ${starting} is still starting, waiting for it`);
    const late = await awaitAnswer(server, platform, starting, files.logFile, progress);
    return { name: server.name, endpoint: server.endpoint, state: 'reused', pid: starting, answer: late, elapsedMs: Date.now() - started };
  }
  for (const port of server.ports) {
    if (await isListening(port, ENGINE_HOST)) {
      throw new EngineError(
        `${server.name}: port ${ENGINE_HOST}:${port} is taken by a process that does not answer as ${server.name} to the platform's credentials in ${path.relative(layout.repoRoot, platformCredentialsFile(layout))} (see \`ss -ltnp 'sport = :${port}'\`)`,
      );
    }
  }
  const classpath = await resolveClasspath(files.pom, layout.classpathDir, (line) => progress(`${server.name}: ${line}`));
  progress(`${server.name}: classpath of ${classpath.jars.length} jars ${classpath.cached ? 'from cache' : `resolved by Maven in ${seconds(classpath.elapsedMs)}`}`);
  const args = await server.prepare(layout, classpath.jars, platform, progress);
  const pid = startDetached({ name: server.name, command: javaCommand(), args, cwd: layout.repoRoot, logFile: files.logFile, pidFile: files.pidFile });
  progress(`${server.name}: started pid ${pid}, log ${path.relative(layout.repoRoot, files.logFile)}`);
  const answered = await awaitAnswer(server, platform, pid, files.logFile, progress);
  return {
    name: server.name,
    endpoint: server.endpoint,
    state: 'started',
    pid,
    answer: answered,
    classpath: { cached: classpath.cached, elapsedMs: classpath.elapsedMs },
    elapsedMs: Date.now() - started,
  };
}

/**
 * Probes until the engine answers, saying every few seconds how long it has waited; a process that
 * dies, or does not answer in time, fails with its log tail.
 */
export async function awaitAnswer(server: EngineServer, platform: EngineCredentials, pid: number, logFile: string, progress: (line: string) => void = () => undefined): Promise<string> {
  const started = Date.now();
  const deadline = started + server.startTimeoutMs;
  const due = every(PROGRESS_INTERVAL_MS);
  while (Date.now() < deadline) {
    if (due()) progress(`${server.name}: waiting for an answer at ${server.endpoint}, ${seconds(Date.now() - started)} of at most ${seconds(server.startTimeoutMs)}`);
    if (!isAlive(pid)) {
      throw new EngineError(`${server.name} (pid ${pid}) exited during start-up; last lines of ${logFile}:\n${tailFile(logFile, 40)}`);
    }
    const answer = await server.probe(platform);
    if (answer !== undefined) return answer;
    await sleep(500);
  }
  await stopProcess(pid, 10_000);
  throw new EngineError(
    `${server.name} (pid ${pid}) did not answer at ${server.endpoint} within ${seconds(server.startTimeoutMs)} and was stopped; last lines of ${logFile}:\n${tailFile(logFile, 40)}`,
  );
}

export interface StopOutcome {
  readonly name: EngineName;
  /** `stopped`: this tool's process ended; `not-running`: nothing of ours ran; `foreign`: something else answers on its port and was left alone. */
  readonly state: 'stopped' | 'killed' | 'not-running' | 'foreign';
  readonly pid: number | undefined;
  readonly elapsedMs: number;
}

/**
 * Stops the engines this tool started (by their pid files; Connect first, it needs Kafka), and
 * waits until none of their ports listens. Engines someone else started are left alone.
 */
export async function stopEngines(names: readonly EngineName[] = ['connect', 'kafka', 'cassandra'], cacheDir?: string): Promise<StopOutcome[]> {
  const layout = engineLayout(cacheDir);
  // under the same lock as `up`: a stop never interleaves with a start
  return withLock(upLock(layout), LOCK_TIMEOUT_MS, () => stopOwned(layout, names));
}

async function stopOwned(layout: EngineLayout, names: readonly EngineName[]): Promise<StopOutcome[]> {
  const order: EngineName[] = ['connect', 'kafka', 'cassandra'];
  const outcomes: StopOutcome[] = [];
  for (const name of order.filter((n) => names.includes(n))) {
    const server = ENGINE_SERVERS[name];
    const files = engineFiles(layout, name);
    const started = Date.now();
    const pid = ownedPid(files.pidFile, engineMarker(name));
    if (pid === undefined) {
      fs.rmSync(files.pidFile, { force: true });
      const busy = await listening(server);
      outcomes.push({ name, state: busy.length > 0 ? 'foreign' : 'not-running', pid: undefined, elapsedMs: Date.now() - started });
      continue;
    }
    const how = await stopProcess(pid, 60_000);
    fs.rmSync(files.pidFile, { force: true });
    const closed = await waitFor(async () => (await listening(server)).length === 0, 30_000, 250);
    if (!closed) throw new EngineError(`${name}: pid ${pid} ended but ports ${(await listening(server)).join(', ')} still listen`);
    outcomes.push({ name, state: how === 'terminated' ? 'stopped' : 'killed', pid, elapsedMs: Date.now() - started });
  }
  return outcomes;
}

/**
 * SIGKILLs an engine this tool started (the fault suite's crash: no shutdown hook, no flush) and
 * waits until its ports are closed; `ensureEngines` starts it again.
 */
export async function killEngine(name: EngineName, cacheDir?: string): Promise<number> {
  const layout = engineLayout(cacheDir);
  const files = engineFiles(layout, name);
  const pid = ownedPid(files.pidFile, engineMarker(name));
  if (pid === undefined) throw new EngineError(`${name} is not running under this tool (no live pid in ${files.pidFile})`);
  process.kill(pid, 'SIGKILL');
  const closed = await waitFor(async () => !isAlive(pid) && (await listening(ENGINE_SERVERS[name])).length === 0, 30_000, 100);
  if (!closed) throw new EngineError(`${name}: pid ${pid} killed but still alive or listening`);
  fs.rmSync(files.pidFile, { force: true });
  return pid;
}

const listening = (server: EngineServer): Promise<number[]> => listeningPorts(server.ports, ENGINE_HOST);

export interface EngineStatus {
  readonly name: EngineName;
  readonly endpoint: string;
  /** What it answered; undefined when it does not answer. */
  readonly answer: string | undefined;
  /** Our pid when this tool started it. */
  readonly pid: number | undefined;
}

/** Whether each engine answers, and whether this tool started it. */
export async function engineStatus(cacheDir?: string): Promise<EngineStatus[]> {
  const layout = engineLayout(cacheDir);
  const platform = readPlatformCredentials(layout);
  return Promise.all(
    Object.values(ENGINE_SERVERS).map(async (server) => ({
      name: server.name,
      endpoint: server.endpoint,
      answer: await server.probe(platform),
      pid: ownedPid(engineFiles(layout, server.name).pidFile, engineMarker(server.name)),
    })),
  );
}

/** One line per engine: endpoint, how it came up (and how long it took), pid, what it answered. */
export function describeOutcome(o: EngineOutcome): string {
  const how = o.state === 'reused' ? 'already up' : `started in ${seconds(o.elapsedMs)}`;
  const classpath = o.classpath === undefined ? '' : o.classpath.cached ? ', classpath cached' : `, Maven resolution ${seconds(o.classpath.elapsedMs)}`;
  return `${o.name.padEnd(9)} ${o.endpoint.padEnd(22)} ${how}${classpath}${o.pid === undefined ? '' : `, pid ${o.pid}`} — ${o.answer}`;
}

/** The closing line of an `up`: total time, and whether it was a cold (Maven resolved), warm or no start. */
export function describeStart(outcomes: readonly EngineOutcome[], elapsedMs: number): string {
  const cold = outcomes.some((o) => o.classpath !== undefined && !o.classpath.cached);
  const anyStarted = outcomes.some((o) => o.state === 'started');
  return `engines up in ${seconds(elapsedMs)} (${anyStarted ? (cold ? 'cold start: Maven resolved artifacts' : 'warm start: artifacts cached') : 'all reused'})`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
