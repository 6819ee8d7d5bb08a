// Runs `mysimbdp <command>` as a child process (the real CLI, as a CronJob would) and collects its
// exit code, stdout and JSON log lines.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export const CLI = path.join(__dirname, '../../../ingest/bin/mysimbdp.cjs');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stderr lines that are JSON objects. */
  readonly logs: Record<string, unknown>[];
}

export function startCli(args: readonly string[], env: NodeJS.ProcessEnv, nodeOptions: readonly string[] = []): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [...nodeOptions, CLI, ...args], { env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      const logs = stderr.split('\n').flatMap((l) => {
        try {
          const v = JSON.parse(l) as unknown;
          return typeof v === 'object' && v !== null ? [v as Record<string, unknown>] : [];
        } catch {
          return [];
        }
      });
      resolve({ code, signal, stdout, stderr, logs });
    });
  });
  return { child, done };
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return startCli(args, env).done;
}
