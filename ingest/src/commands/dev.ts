import * as path from 'node:path';
import { loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { parseFlags } from '../args';
import { LocalPlatform } from '../dev/local-platform';
import { engineLayout } from '../engines/engine-layout';
import { credentialsDir } from '../engines/platform-credentials';
import { createLogger } from '../log';
import { DEFAULTS, engineSettings, intSetting, setting } from '../settings';
import { untilSignal } from '../signals';

/**
 * `mysimbdp dev [--tenants DIR] [--source DIR] [--tokens FILE] [--operator-tokens FILE] [--keys DIR] [--api-port N]
 * [--monitor-port N] [--no-schedules] [--once] [--credentials-dir DIR]`: the platform on this machine against the local
 * engines (`npm run engines:up`) until Ctrl-C. With `--once`: provision, then `batch` and
 * `sink --until-idle` for every tenant dataset, and exit (1 when one of them failed). Settings: --tenants → TENANTS_DIR → tenants; --source →
 * SOURCE_PATH → staging; --tokens → API_TOKENS_FILE (else a printed random token per tenant);
 * --operator-tokens → API_OPERATOR_TOKENS_FILE (else a random operator token, printed and saved in
 * <source>/.operator-token);
 * --keys → ENCRYPTION_KEYS_DIR → <source>/.keys; --api-port → 8080; --monitor-port → 8081;
 * --credentials-dir → CREDENTIALS_DIR → .cache/engines/credentials (each tenant's workers run with
 * its own credentials from there, which provisioning makes).
 */
export async function run(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, {
    tenants: { type: 'string' },
    source: { type: 'string' },
    tokens: { type: 'string' },
    'operator-tokens': { type: 'string' },
    keys: { type: 'string' },
    'api-port': { type: 'string' },
    'monitor-port': { type: 'string' },
    'no-schedules': { type: 'boolean' },
    once: { type: 'boolean' },
    'credentials-dir': { type: 'string' },
  });
  const tenantsDir = path.resolve(setting(flags.tenants, 'TENANTS_DIR', DEFAULTS.tenantsDir));
  const sourcePath = path.resolve(setting(flags.source, 'SOURCE_PATH', DEFAULTS.sourcePath));
  const tokensFile = flags.tokens ?? process.env.API_TOKENS_FILE;
  const operatorTokensFile = setting(flags['operator-tokens'], 'API_OPERATOR_TOKENS_FILE', '');
  const logger = createLogger({ command: 'dev' });
  const platform = new LocalPlatform({
    tenants: loadTenantsOrThrow(tenantsDir),
    tenantsDir,
    sourcePath,
    keysDir: path.resolve(setting(flags.keys, 'ENCRYPTION_KEYS_DIR', path.join(sourcePath, '.keys'))),
    ...(tokensFile === undefined || tokensFile === '' ? {} : { tokensFile }),
    ...(operatorTokensFile === '' ? {} : { operatorTokensFile }),
    apiPort: intSetting(setting(flags['api-port'], 'API_PORT', '8080'), 'api port', 0),
    monitorPort: intSetting(setting(flags['monitor-port'], 'MONITOR_PORT', '8081'), 'monitor port', 0),
    engines: engineSettings(),
    credentialsDir: path.resolve(setting(flags['credentials-dir'], 'CREDENTIALS_DIR', credentialsDir(engineLayout()))),
    logger,
    schedules: flags['no-schedules'] !== true,
  });
  if (flags.once === true) return (await platform.runOnce()) === 0 ? 0 : 1;
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
