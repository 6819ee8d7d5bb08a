import { parseCommand } from '../args';
import { UsageError } from '../../../infra/errors';

/**
 * `mysimbdp deploy` (flags: cli-commands.ts): runs the Pulumi program for the stack (Automation API; CLI and provider built from the Go module proxy)
 * and prints what changed, grouped by tenant. Exit 0 done, 1 failed, 2 usage.
 */
export async function run(argv: readonly string[]): Promise<number> {
  const { flags } = parseCommand('deploy', argv);
  const { stack, format } = flags;
  if (flags.preview && flags.destroy) throw new UsageError('--preview and --destroy exclude each other');
  const mode = flags.preview ? 'preview' : flags.destroy ? 'destroy' : 'up';
  // Loaded here: only deploy needs Pulumi and the constructs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { deployStack, renderDeploy } = require('../deploy/deploy-stack') as typeof import('../deploy/deploy-stack');
  const result = await deployStack({
    stack,
    mode,
    tenantsDir: flags.tenants,
    backendUrl: flags.backend,
    progress: (line) => void process.stderr.write(`${line}\n`),
  });
  process.stdout.write(format === 'json' ? `${JSON.stringify(result)}\n` : renderDeploy(result));
  return 0;
}
