import { loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { parseCommand } from '../args';
import { createLogger } from '../log';
import { DecisionLog } from '../manager/decision-log';
import { DryRunScaleTarget } from '../manager/dry-run-scale-target';
import { KubernetesScaleTarget } from '../manager/kubernetes-scale-target';
import { StreamManager } from '../manager/stream-manager';
import { buildMonitorServer } from '../monitor/monitor-server';
import { intSetting } from '../settings';
import { loadBearerTokens } from '../api/bearer-tokens';
import { untilSignal } from '../signals';

/**
 * `mysimbdp monitor` (flags: cli-commands.ts) until SIGTERM/SIGINT. `--sink-scaler keda` (the platform
 * sets it on stacks with KEDA) leaves the sinks to their ScaledObjects; the manager scales only streams.
 */
export async function run(argv: readonly string[]): Promise<number> {
  const { flags } = parseCommand('monitor', argv);
  const port = intSetting(flags.port, 'port', 0);
  const windowSeconds = intSetting(flags.window, 'window');
  const cooldownSeconds = intSetting(flags.cooldown, 'cooldown', 0);
  const { 'scale-target': targetName, 'sink-scaler': sinkScaler } = flags;
  const tokens = loadBearerTokens(flags.tokens);
  const operatorTokensFile = flags['operator-tokens'];
  const tenants = loadTenantsOrThrow(flags.tenants);
  const log = createLogger({ component: 'monitor' });
  const target =
    targetName === 'kubernetes'
      ? await KubernetesScaleTarget.create({ namespacePrefix: flags['namespace-prefix'], sinkScaler })
      : new DryRunScaleTarget();
  const manager = new StreamManager(target, new DecisionLog(flags['decision-log']), log);
  const app = await buildMonitorServer({
    tenants,
    manager,
    tokens,
    ...(operatorTokensFile === undefined ? {} : { operatorTokens: loadBearerTokens(operatorTokensFile) }),
    windowSeconds,
    cooldownSeconds,
    log,
  });
  const address = await app.listen({ port, host: flags.host });
  log.info('monitor listening', { address, scale_target: targetName, sink_scaler: sinkScaler, window_seconds: windowSeconds });
  const signal = await untilSignal();
  log.info('monitor stopping', { signal });
  await app.close();
  return 0;
}
