import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError } from '../../../infra/errors';

/** One binary of a Go module: `./cmd/<name>` of the module, or a main package of a dependency. */
export interface GoBinary {
  readonly name: string;
  readonly pkg: string;
}

/** A set of binaries built from one Go module into one folder, reused while their build key holds. */
export interface GoBuildSpec {
  /** Names the build in progress lines and the stamp file (`build-<id>.json`). */
  readonly id: string;
  readonly title: string;
  readonly moduleDir: string;
  readonly binDir: string;
  /** In build order. */
  readonly binaries: readonly GoBinary[];
  readonly ldflags: string;
  /** Files of the module (relative) whose contents key the build, besides go.mod and go.sum. */
  readonly keyFiles: readonly string[];
  /** Runs before a build (e.g. writes files a main embeds). @default nothing */
  readonly prepare?: () => void;
}

export interface GoBuildOutcome {
  /** Nothing built: every binary exists and the stamp carries the current key. */
  readonly cached: boolean;
  readonly elapsedMs: number;
}

/** A module's required (or replaced-to) version, read from its go.mod: the one place each is pinned. */
export function goModVersion(moduleDir: string, module: string): string {
  const goMod = fs.readFileSync(path.join(moduleDir, 'go.mod'), 'utf8');
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const replaced = new RegExp(`^\\s*(?:replace\\s+)?${escaped} => ${escaped} (v\\S+)\\s*$`, 'm').exec(goMod);
  const required = new RegExp(`^\\s*(?:require\\s+)?${escaped} (v\\S+)\\s*$`, 'm').exec(goMod);
  const version = replaced?.[1] ?? required?.[1];
  if (version === undefined) throw new EngineError(`${path.join(moduleDir, 'go.mod')} does not pin ${module}`);
  return version;
}

export function goVersion(): string {
  try {
    return execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
  } catch (err) {
    throw new EngineError('`go` was not found on PATH; it builds the local control plane and Pulumi from the Go module proxy', { cause: err });
  }
}

/** What the binaries depend on: go.mod, go.sum, the key files, the Go toolchain and the flags. */
export function buildKey(spec: GoBuildSpec, toolchain: string): string {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', ...spec.keyFiles]) hash.update(`${file}\0`).update(fs.readFileSync(path.join(spec.moduleDir, file))).update('\0');
  hash.update(toolchain).update(spec.ldflags).update(spec.binaries.map((b) => `${b.name}=${b.pkg}`).join(','));
  return hash.digest('hex').slice(0, 16);
}

const stampFile = (spec: GoBuildSpec): string => path.join(spec.binDir, `build-${spec.id}.json`);

/** Reuses the binaries when the stamp's key matches, else builds them all with `go build` (progress every 30 s). */
export async function ensureGoBinaries(spec: GoBuildSpec, progress: (line: string) => void): Promise<GoBuildOutcome> {
  const started = Date.now();
  const toolchain = goVersion();
  const key = buildKey(spec, toolchain);
  const present = spec.binaries.every((b) => fs.existsSync(path.join(spec.binDir, b.name)));
  if (present && readStamp(spec) === key) return { cached: true, elapsedMs: Date.now() - started };
  fs.mkdirSync(spec.binDir, { recursive: true });
  fs.rmSync(stampFile(spec), { force: true });
  spec.prepare?.();
  progress(`building ${spec.title} with ${toolchain}: a cold build takes many minutes`);
  for (const binary of spec.binaries) {
    const one = Date.now();
    await goBuild(spec, binary, progress);
    const size = fs.statSync(path.join(spec.binDir, binary.name)).size;
    progress(`${binary.name}: built in ${((Date.now() - one) / 1000).toFixed(0)} s (${(size / 2 ** 20).toFixed(0)} MiB)`);
  }
  fs.writeFileSync(stampFile(spec), `${JSON.stringify({ key })}\n`);
  return { cached: false, elapsedMs: Date.now() - started };
}

function readStamp(spec: GoBuildSpec): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(stampFile(spec), 'utf8')) as { key?: string }).key;
  } catch {
    return undefined;
  }
}

const PROGRESS_EVERY_MS = 30_000;

/** `go build -v`: its package lines count as progress; the output lands beside, then is renamed. */
function goBuild(spec: GoBuildSpec, binary: GoBinary, progress: (line: string) => void): Promise<void> {
  const out = path.join(spec.binDir, binary.name);
  const partial = `${out}.partial`;
  const args = ['build', '-v', '-trimpath', '-ldflags', spec.ldflags, '-o', partial, binary.pkg];
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn('go', args, { cwd: spec.moduleDir, stdio: ['ignore', 'ignore', 'pipe'] });
    let packages = 0;
    const tail: string[] = [];
    let pending = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        // `go build -v` names each package it compiles; anything else is a diagnostic worth keeping
        if (/^[\w.-]+(\/[\w.~-]+)*$/.test(line)) packages++;
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    });
    const ticker = setInterval(() => progress(`${binary.name}: ${packages} packages compiled, ${((Date.now() - started) / 1000).toFixed(0)} s`), PROGRESS_EVERY_MS);
    child.once('error', (err) => {
      clearInterval(ticker);
      reject(new EngineError(`go build of ${binary.name} could not start: ${err.message}`, { cause: err }));
    });
    child.once('close', (code) => {
      clearInterval(ticker);
      if (code !== 0) {
        fs.rmSync(partial, { force: true });
        reject(new EngineError(`go build of ${binary.name} failed (exit ${code}) in ${spec.moduleDir}:\n${[...tail, pending].join('\n')}`));
        return;
      }
      fs.renameSync(partial, out);
      resolve();
    });
  });
}
