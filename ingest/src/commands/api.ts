import { loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { buildApiServer } from '../api/api-server';
import { loadBearerTokens } from '../api/bearer-tokens';
import { parseCommand } from '../args';
import { loadKeyRing } from '../crypto/key-ring';
import { createLogger } from '../log';
import { intSetting } from '../settings';
import { untilSignal } from '../signals';

/** `mysimbdp api` (flags: cli-commands.ts): the upload API until SIGTERM/SIGINT. */
export async function run(argv: readonly string[]): Promise<number> {
  const { flags } = parseCommand('api', argv);
  const port = intSetting(flags.port, 'port', 0);
  const tokens = loadBearerTokens(flags.tokens);
  const tenants = loadTenantsOrThrow(flags.tenants);
  const { source: sourcePath, keys: keysDir } = flags;
  const log = createLogger({ component: 'api' });
  const app = await buildApiServer({ tenants, tokens, sourcePath, keyRing: (client) => loadKeyRing(keysDir, client), log });
  const address = await app.listen({ port, host: flags.host });
  log.info('api listening', { address, tenants: tenants.map((t) => t.client), source_path: sourcePath });
  const signal = await untilSignal();
  log.info('api stopping', { signal });
  await app.close();
  return 0;
}
