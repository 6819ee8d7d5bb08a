import { loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { buildApiServer } from '../api/api-server';
import { loadBearerTokens } from '../api/bearer-tokens';
import { LazyIngestionLog } from '../api/ingestion-log-access';
import { monitorDecisionsFrom } from '../api/monitor-decisions';
import { parseCommand } from '../args';
import { loadKeyRing } from '../crypto/key-ring';
import { createLogger } from '../log';
import { engineSettings, intSetting } from '../settings';
import { untilSignal } from '../signals';

/**
 * `mysimbdp api` (flags: cli-commands.ts): the upload API and its console until SIGTERM/SIGINT.
 * Files' figures come from the ingestion log in Cassandra (engineSettings, with the console role's
 * login, which may select only the ingestion logs), read on demand: without it the console shows
 * states only. The operator view's decisions come from the monitor (`--monitor-url`), asked per view.
 */
export async function run(argv: readonly string[]): Promise<number> {
  const { flags } = parseCommand('api', argv);
  const port = intSetting(flags.port, 'port', 0);
  const tokens = loadBearerTokens(flags.tokens);
  const tenants = loadTenantsOrThrow(flags.tenants);
  const { source: sourcePath, keys: keysDir } = flags;
  const operatorTokensFile = flags['operator-tokens'];
  const decisions = monitorDecisionsFrom(flags['monitor-url'], flags['monitor-token-file']);
  const log = createLogger({ component: 'api' });
  const ingestionLog = new LazyIngestionLog(engineSettings(), tenants);
  const app = await buildApiServer({
    tenants,
    tokens,
    sourcePath,
    keyRing: (client) => loadKeyRing(keysDir, client),
    ingestionLog,
    ...(operatorTokensFile === undefined ? {} : { operatorTokens: loadBearerTokens(operatorTokensFile) }),
    ...(decisions === undefined ? {} : { decisions }),
    log,
  });
  app.addHook('onClose', () => ingestionLog.close());
  const address = await app.listen({ port, host: flags.host });
  log.info('api listening', { address, tenants: tenants.map((t) => t.client), source_path: sourcePath, monitor_url: flags['monitor-url'] ?? null });
  const signal = await untilSignal();
  log.info('api stopping', { signal });
  await app.close();
  return 0;
}
