import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { EngineError } from '../../../infra/errors';
import { REPO_ROOT } from '../engines/engine-layout';
import { stopProcess } from '../engines/process-control';

/** The schemathesis settings, its hooks and its pinned requirements: ingest/fuzz/. */
export const FUZZ_DIR = path.join(REPO_ROOT, 'ingest', 'fuzz');

export interface SchemathesisOptions {
  /** The venv's bin folder, with `schemathesis` in it. */
  readonly binDir: string;
  /** The served OpenAPI document. */
  readonly schemaUrl: string;
  /** Bearer token of the tenant the requests authenticate as (passed in the environment, never in argv). */
  readonly token: string;
  readonly maxExamples: number;
  /** @default schemathesis picks one and prints it */
  readonly seed?: string;
  /** The whole run's limit; past it schemathesis is stopped and the run fails. */
  readonly timeoutMs: number;
  /** Working folder (schemathesis may write there). */
  readonly cwd: string;
  /** Each line of schemathesis's report, as it comes. */
  readonly print: (line: string) => void;
}

export interface SchemathesisOutcome {
  /** 0 when every check passed; undefined when stopped at the time limit. */
  readonly exitCode: number | undefined;
  /** Its summary's "N generated". */
  readonly testCases: number | undefined;
  /** Its summary's unique failures (0 when it found none). */
  readonly failures: number | undefined;
  readonly seed: string | undefined;
}

/** The counts of schemathesis's closing summary ("Test cases: 423 generated, 1 found 2 unique failures", "Seed: …"). */
export function readSummary(report: string): Omit<SchemathesisOutcome, 'exitCode'> {
  const generated = /^\s*(\d+) generated, (.*)$/m.exec(report);
  const failures = generated === null ? undefined : /(\d+) unique failures?/.exec(generated[2]!)?.[1] ?? '0';
  return {
    testCases: generated === null ? undefined : Number(generated[1]),
    failures: failures === undefined ? undefined : Number(failures),
    seed: /^Seed: (\d+)\s*$/m.exec(report)?.[1],
  };
}

/** `schemathesis run` against the document with ingest/fuzz's settings and hooks, within the time limit. */
export async function runSchemathesis(options: SchemathesisOptions): Promise<SchemathesisOutcome> {
  const args = ['--config-file', path.join(FUZZ_DIR, 'schemathesis.toml'), '--no-color', 'run', options.schemaUrl, '--max-examples', String(options.maxExamples), ...(options.seed === undefined ? [] : ['--seed', options.seed])];
  const env = { ...process.env, FUZZ_TOKEN: options.token, SCHEMATHESIS_HOOKS: path.join(FUZZ_DIR, 'upload_names.py'), PYTHONDONTWRITEBYTECODE: '1' };
  // Its own process group, so that the time limit stops all of it.
  const child = spawn(path.join(options.binDir, 'schemathesis'), args, { cwd: options.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let report = '';
  let pending = '';
  const take = (chunk: string): void => {
    report += chunk;
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) options.print(line);
  };
  child.stdout.setEncoding('utf8').on('data', take);
  child.stderr.setEncoding('utf8').on('data', take);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stopProcess(child.pid!, 5_000);
  }, options.timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', (err) => reject(new EngineError(`could not start schemathesis from ${options.binDir}: ${err.message}`, { cause: err })));
    child.once('close', resolve);
  }).finally(() => clearTimeout(timer));
  if (pending !== '') options.print(pending);
  return { exitCode: timedOut ? undefined : (code ?? 1), ...readSummary(report) };
}
