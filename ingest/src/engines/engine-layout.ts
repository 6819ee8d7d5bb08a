import * as path from 'node:path';

/** Where engines keep artifacts lists, configs, data, logs and pid files: all under `<repo>/.cache/engines`. */
export interface EngineLayout {
  readonly repoRoot: string;
  /** The Maven poms, one folder per engine (ingest/engines/<engine>/pom.xml). */
  readonly pomDir: string;
  readonly cacheDir: string;
  /** Resolved classpaths, keyed by a hash of the pom. */
  readonly classpathDir: string;
  readonly confDir: string;
  readonly dataDir: string;
  readonly logDir: string;
  /** Pid files of the engines this tool started. */
  readonly runDir: string;
}

/** The repository root: this file lives in ingest/src/engines. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The layout under `cacheDir`, else $ENGINES_CACHE_DIR (@default `<repo>/.cache/engines`). */
export function engineLayout(cacheDir?: string, env: NodeJS.ProcessEnv = process.env): EngineLayout {
  const dir = path.resolve(cacheDir ?? env.ENGINES_CACHE_DIR ?? path.join(REPO_ROOT, '.cache', 'engines'));
  return {
    repoRoot: REPO_ROOT,
    pomDir: path.join(REPO_ROOT, 'ingest', 'engines'),
    cacheDir: dir,
    classpathDir: path.join(dir, 'classpath'),
    confDir: path.join(dir, 'conf'),
    dataDir: path.join(dir, 'data'),
    logDir: path.join(dir, 'logs'),
    runDir: path.join(dir, 'run'),
  };
}
