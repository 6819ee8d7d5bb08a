import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError } from '../../../infra/errors';
import { PROGRESS_INTERVAL_MS } from '../progress';

export interface ResolvedClasspath {
  /** Absolute paths of the jars, in Maven's order. */
  readonly jars: readonly string[];
  /** True when Maven was not run because a cached list with every jar present existed. */
  readonly cached: boolean;
  readonly elapsedMs: number;
}

/**
 * The runtime classpath of a pom, resolved by Maven (`dependency:build-classpath`) into the local
 * repository (~/.m2). The list is cached next to a hash of the pom, so a second run starts no Maven
 * at all and downloads nothing; a changed pom or a deleted jar resolves again.
 */
export async function resolveClasspath(pomFile: string, classpathDir: string, progress: (line: string) => void = () => undefined): Promise<ResolvedClasspath> {
  const started = Date.now();
  const pom = fs.readFileSync(pomFile);
  const key = createHash('sha256').update(pom).digest('hex').slice(0, 16);
  const listFile = path.join(classpathDir, `${path.basename(path.dirname(pomFile))}-${key}.txt`);
  const cachedJars = readList(listFile);
  if (cachedJars !== undefined && cachedJars.every((jar) => fs.existsSync(jar))) {
    return { jars: cachedJars, cached: true, elapsedMs: Date.now() - started };
  }
  fs.mkdirSync(classpathDir, { recursive: true });
  const args = ['-q', '-B', '-f', pomFile, 'dependency:build-classpath', `-Dmdep.outputFile=${listFile}`, '-Dmdep.includeScope=runtime'];
  progress('resolving the classpath with Maven (a first run downloads the jars from Maven Central)');
  // Maven runs quietly (-q): say every few seconds that it still does
  const ticker = setInterval(() => progress(`still resolving the classpath, ${Math.round((Date.now() - started) / 1000)} s`), PROGRESS_INTERVAL_MS);
  ticker.unref();
  try {
    await new Promise<void>((resolve, reject) => {
      execFile('mvn', args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err === null) return resolve();
        // Maven 3.8 colours its output even in batch mode
        const output = `${stdout}${stderr}`.replace(/\x1b\[[0-9;]*m/g, '').trim().split('\n').slice(-30).join('\n');
        reject(new EngineError(`mvn could not resolve ${pomFile} (exit code ${String(err.code)}):\n${output}`, { cause: err }));
      });
    });
  } finally {
    clearInterval(ticker);
  }
  const jars = readList(listFile);
  if (jars === undefined || jars.length === 0) throw new EngineError(`mvn resolved no jars for ${pomFile} (${listFile} is empty)`);
  return { jars, cached: false, elapsedMs: Date.now() - started };
}

function readList(file: string): string[] | undefined {
  if (!fs.existsSync(file)) return undefined;
  return fs.readFileSync(file, 'utf8').trim().split(path.delimiter).filter((jar) => jar !== '');
}
