import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { EngineError } from '../../../infra/errors';
import { ensureBaseImage, type BaseImageOutcome } from './base-image';
import { imagePaths, readBaseSpec, runtimeImage, type ImagePaths } from './image-spec';
import { buildArgs, ensureContainersConf, podman, type Podman } from './podman';

export interface ImageLayout {
  /** `.cache/image`: containers.conf and the cached base root. */
  readonly cacheDir: string;
  readonly containersConf: string;
}

/** The image tool's cache, `cacheDir`, else $IMAGE_CACHE_DIR (@default `<repo>/.cache/image`); writes containers.conf. */
export function imageLayout(cacheDir: string | undefined, paths: ImagePaths = imagePaths(), env: NodeJS.ProcessEnv = process.env): ImageLayout {
  const dir = path.resolve(cacheDir ?? env.IMAGE_CACHE_DIR ?? path.join(paths.repoRoot, '.cache', 'image'));
  return { cacheDir: dir, containersConf: ensureContainersConf(dir) };
}

/**
 * The CA bundle the host's Node and npm trust besides Node's own (a TLS-intercepting proxy on the
 * way to the npm registry): NODE_EXTRA_CA_CERTS, else npm's `cafile` setting; undefined when neither.
 */
export function hostCaFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const extra = env.NODE_EXTRA_CA_CERTS;
  if (extra !== undefined && extra !== '') return extra;
  const cafile = execFileSync('npm', ['config', 'get', 'cafile'], { encoding: 'utf8' }).trim();
  return cafile === '' || cafile === 'null' || cafile === 'undefined' ? undefined : cafile;
}

export interface BuildOptions {
  readonly layout: ImageLayout;
  readonly progress: (line: string) => void;
  /** Extra CA bundle for the build's npm (a TLS-intercepting proxy). @default none */
  readonly caFile?: string;
  /** @default DEBIAN_MIRROR */
  readonly mirror?: string;
}

export interface BuildOutcome {
  readonly image: string;
  readonly base: BaseImageOutcome;
  readonly sizeBytes: number;
  /** `node --version` inside the image. */
  readonly nodeVersion: string;
  readonly elapsedMs: number;
}

/** Makes or reuses the base, then `podman build`s ingest/Dockerfile on it (podman's layer cache reused). */
export async function buildImage(o: BuildOptions): Promise<BuildOutcome> {
  const started = Date.now();
  const paths = imagePaths();
  const spec = readBaseSpec(paths);
  const p = podman(o.layout.containersConf);
  const base = await ensureBaseImage({ spec, cacheDir: o.layout.cacheDir, podman: p, progress: o.progress, ...(o.mirror === undefined ? {} : { mirror: o.mirror }) });
  o.progress(`base ${base.image} (${base.source === 'podman' ? 'cached in podman' : base.source === 'tar' ? 'imported from the cached root' : 'made'}, ${(base.elapsedMs / 1000).toFixed(1)} s)`);
  const image = runtimeImage(paths);
  const args = buildArgs({
    repoRoot: paths.repoRoot,
    dockerfile: paths.dockerfile,
    ignoreFile: paths.ignoreFile,
    tag: image,
    buildArgs: { NODE_IMAGE: base.image },
    ...(o.caFile === undefined ? {} : { caFile: o.caFile }),
  });
  const previous = await imageId(p, image);
  o.progress(`podman ${args.join(' ')}`);
  const code = await p.stream(args, (line) => o.progress(`  ${line}`));
  if (code !== 0) throw new EngineError(`podman build of ${image} failed (exit ${code}); its last lines are above`);
  // the image this tag named before, now untagged: removed so rebuilds do not pile up (its stages stay as the layer cache)
  if (previous !== undefined && previous !== (await imageId(p, image))) await p.output(['rmi', previous]).catch(() => undefined);
  return { image, base, ...(await inspect(p, image)), elapsedMs: Date.now() - started };
}

async function imageId(p: Podman, image: string): Promise<string | undefined> {
  return p.output(['image', 'inspect', '--format', '{{.Id}}', image]).then((id) => id.trim(), () => undefined);
}

/** Size of an image in podman's storage and the Node version it runs. */
export async function inspect(p: Podman, image: string): Promise<{ sizeBytes: number; nodeVersion: string }> {
  const size = Number((await p.output(['image', 'inspect', '--format', '{{.Size}}', image])).trim());
  const nodeVersion = (await p.output(['run', '--rm', '--network', 'none', '--entrypoint', '/usr/local/bin/node', image, '--version'])).trim();
  return { sizeBytes: size, nodeVersion };
}
