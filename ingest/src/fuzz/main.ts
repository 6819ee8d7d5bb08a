import * as path from 'node:path';
import { MysimbdpError, UsageError } from '../../../infra/errors';
import { parseFlags } from '../args';
import { REPO_ROOT } from '../engines/engine-layout';
import { runAsMain } from '../engines/tool-cli';
import { intSetting, setting } from '../settings';
import { FUZZ_CLIENT, fuzzUploadApi, passed, type UploadApiFuzzOutcome } from './upload-api-fuzz';

/** Test cases schemathesis generates per operation and phase. */
export const DEFAULT_MAX_EXAMPLES = 300;
/** Limit of the schemathesis run, in seconds: a hanging request fails the run instead of CI. */
export const DEFAULT_TIMEOUT_S = 180;

export const USAGE = `usage: tsx ingest/src/fuzz/main.ts [--max-examples N] [--timeout SECONDS] [--seed N] [--cache-dir DIR]

  Fuzzes the upload API from its own OpenAPI document with schemathesis (installed from PyPI into
  <cache>/venv), authenticated as ${FUZZ_CLIENT}: no 5xx, every answer as documented, and no file
  outside ${FUZZ_CLIENT}'s staging folder afterwards. Exits 1 on any failure.

  --max-examples → FUZZ_MAX_EXAMPLES → ${DEFAULT_MAX_EXAMPLES} (per operation)
  --timeout      → FUZZ_TIMEOUT      → ${DEFAULT_TIMEOUT_S} s (the schemathesis run)
  --seed         → FUZZ_SEED         → a new one each run (printed, to replay a failure)
  --cache-dir    → FUZZ_CACHE_DIR    → <repo>/.cache/fuzz`;

/** The one closing line: the verdict, then what it rests on. */
export function describeFuzz(o: UploadApiFuzzOutcome): string {
  const s = o.schemathesis;
  const cases = `${s.testCases ?? '?'} test cases (seed ${s.seed ?? '?'})`;
  const checks =
    s.exitCode === undefined ? `schemathesis stopped at the time limit after ${cases}` : s.exitCode === 0 ? `${cases}, no failures` : `${s.failures ?? '?'} failures in ${cases}, exit ${s.exitCode}`;
  const staging =
    o.staging.strays.length === 0
      ? `staging: ${o.staging.tenantFiles.length} files, all in ${FUZZ_CLIENT}/, none left in an upload folder`
      : `staging: ${o.staging.strays.length} stray files (${o.staging.strays.slice(0, 3).join(', ')}${o.staging.strays.length > 3 ? ', …' : ''})`;
  const kept = o.kept ? `; kept ${o.workDir}` : '';
  return `fuzz: ${passed(o) ? 'passed' : 'FAILED'} — ${checks}; ${staging}; api pid ${o.apiPid} ${o.apiStop}; ${(o.elapsedMs / 1000).toFixed(1)} s${kept}`;
}

/** `npm run test:fuzz`: 0 when every check passed, 1 otherwise, always with the closing line. */
export async function run(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, { 'max-examples': { type: 'string' }, timeout: { type: 'string' }, seed: { type: 'string' }, 'cache-dir': { type: 'string' } });
  const maxExamples = intSetting(setting(flags['max-examples'], 'FUZZ_MAX_EXAMPLES', String(DEFAULT_MAX_EXAMPLES)), 'max-examples');
  const timeoutS = intSetting(setting(flags.timeout, 'FUZZ_TIMEOUT', String(DEFAULT_TIMEOUT_S)), 'timeout');
  const seed = flags.seed ?? process.env.FUZZ_SEED;
  if (seed !== undefined && !/^\d+$/.test(seed)) throw new UsageError(`seed must be a non-negative integer, got "${seed}"`);
  const cacheDir = path.resolve(setting(flags['cache-dir'], 'FUZZ_CACHE_DIR', path.join(REPO_ROOT, '.cache', 'fuzz')));
  const print = (line: string): void => void process.stdout.write(`${line}\n`);
  try {
    const outcome = await fuzzUploadApi({ cacheDir, maxExamples, timeoutMs: timeoutS * 1000, print, ...(seed === undefined ? {} : { seed }) });
    print(describeFuzz(outcome));
    return passed(outcome) ? 0 : 1;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    print(`fuzz: FAILED — ${err instanceof MysimbdpError ? err.message : String((err as Error).stack ?? err)}`);
    return 1;
  }
}

if (require.main === module) runAsMain('fuzz', USAGE, run);
