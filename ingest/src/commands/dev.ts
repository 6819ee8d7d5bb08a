import * as path from 'node:path';
import { loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { parseCommand } from '../args';
import { LocalPlatform } from '../dev/local-platform';
import { engineLayout } from '../engines/engine-layout';
import { credentialsDir } from '../engines/platform-credentials';
import { createLogger } from '../log';
import { consoleRoleSetting, engineSettings, intSetting } from '../settings';
import { untilSignal } from '../signals';

/**
 * `mysimbdp dev` (flags: cli-commands.ts): the platform on this machine against the local engines
 * (`npm run engines:up`) until Ctrl-C. With `--once`: provision, then `batch` and `sink --until-idle`
 * for every tenant dataset, and exit (1 when one of them failed). Each tenant's workers run with its
 * own credentials from the credentials folder, which provisioning makes.
 */
export async function run(argv: readonly string[]): Promise<number> {
  const { flags, env } = parseCommand('dev', argv);
  const tenantsDir = path.resolve(flags.tenants);
  const sourcePath = path.resolve(flags.source);
  const tokensFile = flags.tokens;
  const operatorTokensFile = flags['operator-tokens'];
  const logger = createLogger({ command: 'dev' });
  const platform = new LocalPlatform({
    tenants: loadTenantsOrThrow(tenantsDir),
    tenantsDir,
    sourcePath,
    keysDir: path.resolve(flags.keys ?? path.join(sourcePath, '.keys')),
    ...(tokensFile === undefined ? {} : { tokensFile }),
    ...(operatorTokensFile === undefined ? {} : { operatorTokensFile }),
    apiPort: intSetting(flags['api-port'], 'api port', 0),
    monitorPort: intSetting(flags['monitor-port'], 'monitor port', 0),
    engines: engineSettings(),
    credentialsDir: path.resolve(flags['credentials-dir'] ?? credentialsDir(engineLayout())),
    consoleRole: consoleRoleSetting(env.CASSANDRA_CONSOLE_ROLE),
    logger,
    schedules: !flags['no-schedules'],
  });
  if (flags.once) return (await platform.runOnce()) === 0 ? 0 : 1;
  const stopping = untilSignal();
  try {
    await platform.start();
    const signal = await stopping;
    logger.info('dev stopping', { signal });
  } finally {
    await platform.stop();
  }
  return 0;
}
