import { UsageError } from '../../../infra/errors';
import { parseFlags } from '../args';
import { runAsMain } from '../engines/tool-cli';
import { intSetting, setting } from '../settings';
import { buildImage, hostCaFile, imageLayout } from './image-build';
import { mib, testImage } from './image-test';

export const DEFAULT_TEST_ROWS = 100_000;
export const DEFAULT_TEST_BAD_RATIO = 0.01;

export const USAGE = `usage: tsx ingest/src/image/main.ts <command> [--cache-dir DIR]

  build   make or reuse the base (Debian + Node of ingest/image/base.json, cached in <cache>),
          then podman build ingest/Dockerfile as localhost/mysimbdp-ingest:<version>; prints its
          size and the Node version inside. --ca-file FILE (else NODE_EXTRA_CA_CERTS, else npm's cafile):
          a CA bundle the build's npm trusts besides Node's own; --mirror URL (IMAGE_DEBIAN_MIRROR): Debian archive
  test    run the image as the manifests do (uid 10001, read-only root, no capabilities, client_a's
          memory limit) against the local engines: provision, batch of a generated file with bad
          rows, sink --until-idle; --rows N (IMAGE_TEST_ROWS, ${DEFAULT_TEST_ROWS}), --bad-ratio R (${DEFAULT_TEST_BAD_RATIO})

cache folder: --cache-dir, else IMAGE_CACHE_DIR, else <repo>/.cache/image`;

const progress = (line: string): void => void process.stderr.write(`image: ${line}\n`);

export async function run(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const flags = parseFlags(rest, {
    'cache-dir': { type: 'string' },
    'ca-file': { type: 'string' },
    mirror: { type: 'string' },
    rows: { type: 'string' },
    'bad-ratio': { type: 'string' },
  });
  switch (command) {
    case 'build': {
      const caFile = flags['ca-file'] ?? hostCaFile();
      const mirror = flags.mirror ?? process.env.IMAGE_DEBIAN_MIRROR;
      const b = await buildImage({ layout: imageLayout(flags['cache-dir']), progress, ...(caFile === undefined ? {} : { caFile }), ...(mirror === undefined ? {} : { mirror }) });
      process.stdout.write(`${b.image}  ${(b.sizeBytes / 1e6).toFixed(0)} MB  node ${b.nodeVersion}  built in ${(b.elapsedMs / 1000).toFixed(1)} s (base ${b.base.source === 'built' ? 'made' : 'cached'})\n`);
      return 0;
    }
    case 'test': {
      const rows = intSetting(setting(flags.rows, 'IMAGE_TEST_ROWS', String(DEFAULT_TEST_ROWS)), '--rows');
      const badRatio = Number(flags['bad-ratio'] ?? String(DEFAULT_TEST_BAD_RATIO));
      if (!(badRatio >= 0 && badRatio < 1)) throw new UsageError(`--bad-ratio must be a number from 0 to below 1, got "${flags['bad-ratio']}"`);
      const t = await testImage({ layout: imageLayout(flags['cache-dir']), progress, rows, badRatio });
      for (const r of t.runs) process.stdout.write(`${r.step.padEnd(10)} exit ${r.code}  ${(r.elapsedMs / 1000).toFixed(1).padStart(5)} s  peak ${mib(r.peakBytes).padStart(9)} of ${mib(t.memoryLimitBytes)}\n`);
      for (const c of t.checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}\n`);
      const failed = t.checks.filter((c) => !c.ok).length;
      process.stdout.write(`${t.image}: ${t.checks.length - failed} of ${t.checks.length} checks hold\n`);
      return failed === 0 ? 0 : 1;
    }
    default:
      throw new UsageError(command === undefined ? 'missing command' : `unknown command "${command}"`);
  }
}

if (require.main === module) runAsMain('image', USAGE, run);
