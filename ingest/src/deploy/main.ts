import { MysimbdpError } from '../../../infra/errors';
import { ensurePulumiBinaries, pulumiLayout } from './pulumi-binaries';

/** `npm run pulumi:build`: the Pulumi CLI and kubernetes provider into <cache>/bin (CI runs it before the tests). */
async function build(): Promise<void> {
  const layout = pulumiLayout();
  const outcome = await ensurePulumiBinaries(layout, (line) => void process.stderr.write(`pulumi: ${line}\n`));
  process.stdout.write(`pulumi ${outcome.cli} and pulumi-resource-kubernetes ${outcome.provider} ${outcome.cached ? 'cached' : `built in ${(outcome.elapsedMs / 1000).toFixed(1)} s`} in ${layout.binDir}\n`);
}

if (require.main === module) {
  if (process.argv[2] !== 'build') {
    process.stderr.write('usage: tsx ingest/src/deploy/main.ts build\n');
    process.exit(2);
  }
  build().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`pulumi: ${err instanceof MysimbdpError ? err.message : String((err as Error).stack ?? err)}\n`);
      process.exit(1);
    },
  );
}
