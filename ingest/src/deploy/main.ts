import { UsageError } from '../../../infra/errors';
import { runAsMain } from '../engines/tool-cli';
import { ensurePulumiBinaries, pulumiLayout } from './pulumi-binaries';

const USAGE = 'usage: tsx ingest/src/deploy/main.ts build   (the Pulumi CLI and kubernetes provider into <cache>/bin)';

/** `npm run pulumi:build`: CI runs it before the tests, so that no test pays the build. */
export async function run(argv: readonly string[]): Promise<number> {
  if (argv[0] !== 'build' || argv.length > 1) throw new UsageError(argv[0] === undefined ? 'missing command' : `unknown command "${argv.join(' ')}"`);
  const layout = pulumiLayout();
  const outcome = await ensurePulumiBinaries(layout, (line) => void process.stderr.write(`pulumi: ${line}\n`));
  process.stdout.write(`pulumi ${outcome.cli} and pulumi-resource-kubernetes ${outcome.provider} ${outcome.cached ? 'cached' : `built in ${(outcome.elapsedMs / 1000).toFixed(1)} s`} in ${layout.binDir}\n`);
  return 0;
}

if (require.main === module) runAsMain('pulumi', USAGE, run);
