import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError } from '../../../infra/errors';
import { REPO_ROOT } from '../engines/engine-layout';
import { stopProcess, tailFile, waitFor } from '../engines/process-control';

export interface ApiProcessOptions {
  readonly tokensFile: string;
  readonly tenantsDir: string;
  readonly sourcePath: string;
  readonly keysDir: string;
  /** The server's output (its JSON log lines) goes here. */
  readonly logFile: string;
}

export interface ApiProcess {
  readonly pid: number;
  /** `http://127.0.0.1:<port>` */
  readonly address: string;
  /** SIGTERM, then SIGKILL after 10 s; resolves once the process is gone. */
  stop(): Promise<'terminated' | 'killed'>;
}

const CLI = path.join(REPO_ROOT, 'ingest', 'bin', 'mysimbdp.cjs');
const START_TIMEOUT_MS = 30_000;
const LISTENING = /"msg":"api listening".*?"address":"([^"]+)"/;

/**
 * `mysimbdp api` as a child process on a free loopback port (port 0; the address is read from its
 * "api listening" log line): the real command, settings and server. One that exits or stays silent
 * is stopped and reported with the end of its log.
 */
export async function startApiProcess(options: ApiProcessOptions): Promise<ApiProcess> {
  const log = fs.openSync(options.logFile, 'a');
  const args = [CLI, 'api', '--port', '0', '--host', '127.0.0.1', '--tokens', options.tokensFile, '--tenants', options.tenantsDir, '--source', options.sourcePath, '--keys', options.keysDir];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  // a spawn failure shows as an 'error' event, which must not go unhandled
  child.once('error', () => undefined);
  if (child.pid === undefined) throw new EngineError(`could not start ${process.execPath} ${CLI} api`);
  const pid = child.pid;
  const stop = (): Promise<'terminated' | 'killed'> => stopProcess(pid, 10_000);
  const listening = (): RegExpExecArray | null => LISTENING.exec(fs.readFileSync(options.logFile, 'utf8'));
  await waitFor(() => listening() !== null || child.exitCode !== null, START_TIMEOUT_MS, 100);
  const address = listening()?.[1];
  if (address === undefined) {
    const exitCode = child.exitCode;
    await stop();
    const why = exitCode === null ? `did not start listening within ${START_TIMEOUT_MS / 1000} s` : `exited with ${exitCode} before listening`;
    throw new EngineError(`mysimbdp api (pid ${pid}) ${why}; its log ends:\n${tailFile(options.logFile, 20)}`);
  }
  return { pid, address, stop };
}
