import { parseFlags } from '../args';
import { UsageError } from '../../../infra/errors';
import { DEFAULTS, setting } from '../settings';

/**
 * `mysimbdp deploy --stack NAME [--preview|--destroy] [--tenants DIR] [--backend URL] [--format text|json]`: runs the
 * Pulumi program for the stack (Automation API; CLI and provider built from the Go module proxy)
 * and prints what changed, grouped by tenant. Exit 0 done, 1 failed, 2 usage.
 */
export async function run(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, {
    stack: { type: 'string' },
    preview: { type: 'boolean' },
    destroy: { type: 'boolean' },
    tenants: { type: 'string' },
    backend: { type: 'string' },
    format: { type: 'string' },
  });
  const format = flags.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got "${format}"`);
  const stack = setting(flags.stack, 'MYSIMBDP_STACK', '');
  if (stack === '') throw new UsageError('--stack NAME is required (or MYSIMBDP_STACK)');
  if ((flags.preview ?? false) && (flags.destroy ?? false)) throw new UsageError('--preview and --destroy exclude each other');
  const mode = flags.preview ?? false ? 'preview' : flags.destroy ?? false ? 'destroy' : 'up';
  // Loaded here: only deploy needs Pulumi and the constructs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { deployStack, renderDeploy } = require('../deploy/deploy-stack') as typeof import('../deploy/deploy-stack');
  const result = await deployStack({
    stack,
    mode,
    tenantsDir: setting(flags.tenants, 'TENANTS_DIR', DEFAULTS.tenantsDir),
    backendUrl: flags.backend,
    progress: (line) => void process.stderr.write(`${line}\n`),
  });
  process.stdout.write(format === 'json' ? `${JSON.stringify(result)}\n` : renderDeploy(result));
  return 0;
}
