import { loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { buildApiServer } from '../api/api-server';
import { loadBearerTokens } from '../api/bearer-tokens';
import { LazyIngestionLog } from '../api/ingestion-log-access';
import { parseFlags } from '../args';
import { DEFAULT_KEYS_DIR, loadKeyRing } from '../crypto/key-ring';
import { createLogger } from '../log';
import { DEFAULTS, engineSettings, intSetting, requiredSetting, setting } from '../settings';
import { untilSignal } from '../signals';

/** Default port of the upload API. */
export const DEFAULT_API_PORT = 8080;

/**
 * `mysimbdp api [--port N] --tokens FILE [--operator-tokens FILE] [--decision-log FILE] [--tenants DIR]
 * [--source DIR] [--host H] [--keys DIR]`: the upload API and its console until SIGTERM/SIGINT.
 * Settings: --port → PORT → 8080; --tokens → API_TOKENS_FILE; --operator-tokens →
 * API_OPERATOR_TOKENS_FILE → none (no operator view); --decision-log → DECISION_LOG → none (the
 * monitor's, read for the operator view); --tenants → TENANTS_DIR → tenants; --source → SOURCE_PATH
 * → staging; --host → HOST → 0.0.0.0; --keys → ENCRYPTION_KEYS_DIR → /etc/mysimbdp/keys. Files'
 * figures come from the ingestion log in Cassandra (engineSettings: CASSANDRA_* with a login that
 * reads every tenant's keyspaces), read on demand: without it the console shows states only.
 */
export async function run(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, {
    port: { type: 'string' },
    tokens: { type: 'string' },
    tenants: { type: 'string' },
    source: { type: 'string' },
    host: { type: 'string' },
    keys: { type: 'string' },
    'operator-tokens': { type: 'string' },
    'decision-log': { type: 'string' },
  });
  const port = intSetting(setting(flags.port, 'PORT', String(DEFAULT_API_PORT)), 'port', 0);
  const tokens = loadBearerTokens(requiredSetting(flags.tokens, 'tokens', 'API_TOKENS_FILE'));
  const tenants = loadTenantsOrThrow(setting(flags.tenants, 'TENANTS_DIR', DEFAULTS.tenantsDir));
  const sourcePath = setting(flags.source, 'SOURCE_PATH', DEFAULTS.sourcePath);
  const keysDir = setting(flags.keys, 'ENCRYPTION_KEYS_DIR', DEFAULT_KEYS_DIR);
  const operatorTokensFile = setting(flags['operator-tokens'], 'API_OPERATOR_TOKENS_FILE', '');
  const decisionLog = setting(flags['decision-log'], 'DECISION_LOG', '');
  const log = createLogger({ component: 'api' });
  const ingestionLog = new LazyIngestionLog(engineSettings(), tenants);
  const app = await buildApiServer({
    tenants,
    tokens,
    sourcePath,
    keyRing: (client) => loadKeyRing(keysDir, client),
    ingestionLog,
    ...(operatorTokensFile === '' ? {} : { operatorTokens: loadBearerTokens(operatorTokensFile) }),
    ...(decisionLog === '' ? {} : { decisionLog }),
    log,
  });
  app.addHook('onClose', () => ingestionLog.close());
  const address = await app.listen({ port, host: setting(flags.host, 'HOST', '0.0.0.0') });
  log.info('api listening', { address, tenants: tenants.map((t) => t.client), source_path: sourcePath });
  const signal = await untilSignal();
  log.info('api stopping', { signal });
  await app.close();
  return 0;
}
