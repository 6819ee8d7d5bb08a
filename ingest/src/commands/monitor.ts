import { loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { parseFlags } from '../args';
import { UsageError } from '../../../infra/errors';
import { createLogger } from '../log';
import { DecisionLog } from '../manager/decision-log';
import { DryRunScaleTarget } from '../manager/dry-run-scale-target';
import { KubernetesScaleTarget, SINK_SCALERS, type SinkScaler } from '../manager/kubernetes-scale-target';
import { StreamManager } from '../manager/stream-manager';
import { buildMonitorServer } from '../monitor/monitor-server';
import { DEFAULTS, intSetting, requiredSetting, setting } from '../settings';
import { loadBearerTokens } from '../api/bearer-tokens';
import { untilSignal } from '../signals';

export const DEFAULT_MONITOR_PORT = 8081;

/**
 * Who scales the sink Deployments: --sink-scaler → SINK_SCALER → manager. `keda` (the platform
 * sets it on stacks with KEDA) leaves them to their ScaledObjects; the manager scales only streams.
 */
export function sinkScalerSetting(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): SinkScaler {
  const value = setting(flag, 'SINK_SCALER', 'manager', env);
  const scaler = SINK_SCALERS.find((s) => s === value);
  if (scaler === undefined) throw new UsageError(`--sink-scaler must be ${SINK_SCALERS.join(' or ')}, got "${value}"`);
  return scaler;
}

/**
 * `mysimbdp monitor [--port N] [--tenants DIR] [--scale-target kubernetes|none] [--sink-scaler manager|keda]
 * [--window S] [--cooldown S] [--namespace-prefix P] [--decision-log FILE] [--host H] --tokens FILE` until
 * SIGTERM/SIGINT. Settings: --tokens → MONITOR_TOKENS_FILE (required: SHA-256 digests of each tenant's
 * report token, the upload API's format); --port → PORT → 8081; --scale-target → SCALE_TARGET → none (decisions only logged);
 * --sink-scaler → SINK_SCALER → manager (see sinkScalerSetting);
 * --window → MONITOR_WINDOW_SECONDS → 60; --cooldown → MONITOR_COOLDOWN_SECONDS → 60;
 * --namespace-prefix → NAMESPACE_PREFIX → mysimbdp; --decision-log → DECISION_LOG (JSON lines).
 */
export async function run(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    tenants: { type: 'string' },
    'scale-target': { type: 'string' },
    'sink-scaler': { type: 'string' },
    window: { type: 'string' },
    cooldown: { type: 'string' },
    'namespace-prefix': { type: 'string' },
    'decision-log': { type: 'string' },
    tokens: { type: 'string' },
  });
  const port = intSetting(setting(flags.port, 'PORT', String(DEFAULT_MONITOR_PORT)), 'port', 0);
  const windowSeconds = intSetting(setting(flags.window, 'MONITOR_WINDOW_SECONDS', '60'), 'window');
  const cooldownSeconds = intSetting(setting(flags.cooldown, 'MONITOR_COOLDOWN_SECONDS', '60'), 'cooldown', 0);
  const targetName = setting(flags['scale-target'], 'SCALE_TARGET', 'none');
  if (targetName !== 'kubernetes' && targetName !== 'none') throw new UsageError(`--scale-target must be kubernetes or none, got "${targetName}"`);
  const sinkScaler = sinkScalerSetting(flags['sink-scaler']);
  const tokens = loadBearerTokens(requiredSetting(flags.tokens, 'tokens', 'MONITOR_TOKENS_FILE'));
  const tenants = loadTenantsOrThrow(setting(flags.tenants, 'TENANTS_DIR', DEFAULTS.tenantsDir));
  const log = createLogger({ component: 'monitor' });
  const target =
    targetName === 'kubernetes'
      ? await KubernetesScaleTarget.create({ namespacePrefix: setting(flags['namespace-prefix'], 'NAMESPACE_PREFIX', 'mysimbdp'), sinkScaler })
      : new DryRunScaleTarget();
  const decisionLog = setting(flags['decision-log'], 'DECISION_LOG', '');
  const manager = new StreamManager(target, new DecisionLog(decisionLog === '' ? undefined : decisionLog), log);
  const app = await buildMonitorServer({ tenants, manager, tokens, windowSeconds, cooldownSeconds, log });
  const address = await app.listen({ port, host: setting(flags.host, 'HOST', '0.0.0.0') });
  log.info('monitor listening', { address, scale_target: targetName, sink_scaler: sinkScaler, window_seconds: windowSeconds });
  const signal = await untilSignal();
  log.info('monitor stopping', { signal });
  await app.close();
  return 0;
}
