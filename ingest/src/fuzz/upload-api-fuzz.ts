import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../engines/engine-layout';
import { startApiProcess } from './api-process';
import { ensurePythonVenv } from './python-venv';
import { FUZZ_DIR, runSchemathesis, type SchemathesisOutcome } from './schemathesis-run';
import { auditStaging, type StagingAudit } from './staging-audit';

/** The seed tenant the requests authenticate as; client_b gets a token schemathesis never sees. */
export const FUZZ_CLIENT = 'client_a';

export interface UploadApiFuzzOptions {
  /** Holds the venv (`<cacheDir>/venv`). */
  readonly cacheDir: string;
  readonly maxExamples: number;
  readonly timeoutMs: number;
  readonly seed?: string;
  /** Progress lines and schemathesis's report. */
  readonly print: (line: string) => void;
}

export interface UploadApiFuzzOutcome {
  readonly venvCached: boolean;
  readonly schemathesis: SchemathesisOutcome;
  readonly staging: StagingAudit;
  readonly apiPid: number;
  readonly apiStop: 'terminated' | 'killed';
  /** The run's temporary folder (staging, tokens, the server's log), kept when the run failed. */
  readonly workDir: string;
  readonly kept: boolean;
  readonly elapsedMs: number;
}

export const passed = (o: Pick<UploadApiFuzzOutcome, 'schemathesis' | 'staging'>): boolean => o.schemathesis.exitCode === 0 && o.staging.strays.length === 0;

/**
 * Fuzzes the upload API from the OpenAPI document it serves: `mysimbdp api` on a free loopback
 * port with the repository's seed tenants, a fresh staging folder and fresh tokens; schemathesis
 * (from PyPI, in a venv under the cache folder) authenticated as client_a; then the staging tree
 * must hold nothing outside client_a's folder and nothing left in an upload folder. The server is
 * stopped whatever happens.
 */
export async function fuzzUploadApi(options: UploadApiFuzzOptions): Promise<UploadApiFuzzOutcome> {
  const started = Date.now();
  const venv = await ensurePythonVenv(path.join(options.cacheDir, 'venv'), path.join(FUZZ_DIR, 'requirements.txt'), options.print);
  options.print(`schemathesis venv ${venv.cached ? 'cached' : `installed in ${(venv.elapsedMs / 1000).toFixed(1)} s`} in ${venv.dir}`);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mysimbdp-fuzz-'));
  const sourcePath = path.join(workDir, 'staging');
  const tokens = { [FUZZ_CLIENT]: crypto.randomBytes(24).toString('base64url'), client_b: crypto.randomBytes(24).toString('base64url') };
  const digest = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');
  fs.writeFileSync(path.join(workDir, 'tokens.json'), JSON.stringify(Object.fromEntries(Object.entries(tokens).map(([client, token]) => [client, digest(token)]))));
  const api = await startApiProcess({
    tokensFile: path.join(workDir, 'tokens.json'),
    tenantsDir: path.join(REPO_ROOT, 'tenants'),
    sourcePath,
    keysDir: path.join(workDir, 'keys'),
    logFile: path.join(workDir, 'api.log'),
  });
  options.print(`mysimbdp api pid ${api.pid} at ${api.address}, staging ${sourcePath}`);
  let schemathesis: SchemathesisOutcome;
  let apiStop: 'terminated' | 'killed';
  try {
    schemathesis = await runSchemathesis({
      binDir: venv.binDir,
      schemaUrl: `${api.address}/openapi.json`,
      token: tokens[FUZZ_CLIENT]!,
      maxExamples: options.maxExamples,
      timeoutMs: options.timeoutMs,
      cwd: workDir,
      print: options.print,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    });
  } finally {
    apiStop = await api.stop();
  }
  // Only once the server is gone: an upload still being written would look like a leftover.
  const staging = fs.existsSync(sourcePath) ? auditStaging(sourcePath, FUZZ_CLIENT) : { tenantFiles: [], strays: [] };
  const kept = !passed({ schemathesis, staging });
  if (!kept) fs.rmSync(workDir, { recursive: true, force: true });
  return { venvCached: venv.cached, schemathesis, staging, apiPid: api.pid, apiStop, workDir, kept, elapsedMs: Date.now() - started };
}
