import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { EngineError } from '../../../infra/errors';

const run = promisify(execFile);

export interface PythonVenv {
  readonly dir: string;
  /** `<dir>/bin`, where the installed packages' commands are. */
  readonly binDir: string;
}

export interface VenvOutcome {
  /** Nothing installed: the venv's stamp carries the current key. */
  readonly cached: boolean;
  readonly elapsedMs: number;
}

/** What the venv depends on: the requirements file and the interpreter's version. */
export function venvKey(requirements: string, pythonVersion: string): string {
  return createHash('sha256').update(fs.readFileSync(requirements)).update('\0').update(pythonVersion).digest('hex').slice(0, 16);
}

const stampFile = (venv: PythonVenv): string => path.join(venv.dir, 'requirements.key');

/**
 * A venv at `dir` with `requirements` installed by pip from PyPI: reused while its stamp matches
 * the requirements and `python3`, else made anew, so nothing is installed outside it.
 */
export async function ensurePythonVenv(dir: string, requirements: string, progress: (line: string) => void): Promise<PythonVenv & VenvOutcome> {
  const started = Date.now();
  const venv = { dir, binDir: path.join(dir, 'bin') };
  const python = await pythonVersion();
  const key = venvKey(requirements, python);
  if (readStamp(venv) === key) return { ...venv, cached: true, elapsedMs: Date.now() - started };
  fs.rmSync(dir, { recursive: true, force: true });
  progress(`making a venv in ${dir} with ${python} and installing ${path.basename(requirements)} from PyPI`);
  try {
    await run('python3', ['-m', 'venv', dir]);
  } catch (err) {
    throw new EngineError(`python3 -m venv ${dir} failed (on Debian: apt-get install python3-venv): ${(err as { stderr?: string }).stderr ?? (err as Error).message}`, { cause: err });
  }
  try {
    await run(path.join(venv.binDir, 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', requirements], { maxBuffer: 16 * 2 ** 20 });
  } catch (err) {
    throw new EngineError(`pip install -r ${requirements} failed: ${(err as { stderr?: string }).stderr ?? (err as Error).message}`, { cause: err });
  }
  fs.writeFileSync(stampFile(venv), `${key}\n`);
  return { ...venv, cached: false, elapsedMs: Date.now() - started };
}

async function pythonVersion(): Promise<string> {
  try {
    return (await run('python3', ['--version'])).stdout.trim();
  } catch (err) {
    throw new EngineError('python3 was not found on PATH; the fuzz step installs schemathesis with it', { cause: err });
  }
}

function readStamp(venv: PythonVenv): string | undefined {
  try {
    return fs.readFileSync(stampFile(venv), 'utf8').trim();
  } catch {
    return undefined;
  }
}
