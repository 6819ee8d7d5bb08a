import * as path from 'node:path';
import { parseCommand } from '../args';
import { InputError } from '../../../infra/errors';

/**
 * `mysimbdp synth` (flags: cli-commands.ts): validates the tenants, reads
 * `Pulumi.<stack>.yaml` (from the working directory) and writes `platform.yaml` and
 * `tenant-<client>.yaml` under DIR. Exit 0 written, 1 invalid tenants or stack config, 2 usage.
 */
export async function run(argv: readonly string[]): Promise<number> {
  const { flags } = parseCommand('synth', argv);
  const { tenants: tenantsDir, stack } = flags;

  // Loaded here, not at the top: only synth needs the tenant model, cdk8s and the constructs.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { loadTenantsOrThrow, formatIssue, TenantValidationError } = require('../../../infra/tenant/load-tenants') as typeof import('../../../infra/tenant/load-tenants');
  const { readStackConfigFile } = require('../../../infra/stack/stack-settings') as typeof import('../../../infra/stack/stack-settings');
  const { synthesize, writeManifests } = require('../../../infra/synth/synthesize') as typeof import('../../../infra/synth/synthesize');
  /* eslint-enable @typescript-eslint/no-require-imports */

  let tenants;
  try {
    tenants = loadTenantsOrThrow(tenantsDir);
  } catch (err) {
    if (!(err instanceof TenantValidationError)) throw err;
    for (const issue of err.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    process.stderr.write(`mysimbdp synth: ${err.issues.length} error${err.issues.length === 1 ? '' : 's'} in ${tenantsDir}; nothing written\n`);
    return 1;
  }
  try {
    const settings = readStackConfigFile(process.cwd(), stack);
    const manifests = synthesize(tenants, settings);
    const files = writeManifests(manifests, flags.out);
    const counts = new Map<string, number>([['platform.yaml', manifests.platform.length]]);
    for (const [client, objects] of manifests.tenants) counts.set(`tenant-${client}.yaml`, objects.length);
    for (const file of files) process.stdout.write(`wrote ${file} (${counts.get(path.basename(file)) ?? 0} objects)\n`);
    process.stdout.write(`stack ${stack}: ${tenants.length} tenant${tenants.length === 1 ? '' : 's'}, image ${settings.image.registry}/${settings.image.repository}:${settings.image.tag}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    process.stderr.write(`mysimbdp synth: ${err.message}\n`);
    return 1;
  }
}
