import type { StreamSettings } from '../../../infra/tenant/types';
import type { ScaleDecision } from '../manager/decision';
import type { WindowStats } from './report-window';

const round = (n: number): number => Math.round(n * 100) / 100;

/**
 * The monitor's rules for one tenant dataset, given its window and current replicas:
 * - too slow (average ingestion time above `maxAvgIngestionMs`, or — while there is work — fewer
 *   rows/s than `minRowsPerSecond`): scale up by one; at `maxReplicas` alert instead;
 * - idle (no messages, rows or errors for a whole window): scale down by one toward `minReplicas`;
 * - errors in the window: alert (besides any scaling).
 * Returns the decisions, empty when nothing is to be done.
 */
export function decide(tenant: string, dataset: string, stats: WindowStats, settings: StreamSettings, replicas: number, windowSeconds: number): ScaleDecision[] {
  const decisions: ScaleDecision[] = [];
  const base = { tenant, dataset, from: replicas };
  if (stats.reports === 0) return decisions;
  const busy = stats.messages > 0 || stats.rows > 0;
  const slow: string[] = [];
  if (stats.avgIngestionMs > settings.maxAvgIngestionMs) slow.push(`average ingestion ${round(stats.avgIngestionMs)} ms > maxAvgIngestionMs ${settings.maxAvgIngestionMs}`);
  if (busy && settings.minRowsPerSecond > 0 && stats.rowsPerSecond < settings.minRowsPerSecond) {
    slow.push(`${round(stats.rowsPerSecond)} rows/s < minRowsPerSecond ${settings.minRowsPerSecond}`);
  }
  if (slow.length > 0) {
    const reason = slow.join('; ');
    decisions.push(
      replicas < settings.maxReplicas
        ? { ...base, action: 'scale_up', to: replicas + 1, reason }
        : { ...base, action: 'alert', to: replicas, reason: `${reason}; already at maxReplicas ${settings.maxReplicas}` },
    );
  } else if (!busy && stats.errors === 0 && stats.coveredSeconds >= windowSeconds && replicas > settings.minReplicas) {
    decisions.push({ ...base, action: 'scale_down', to: replicas - 1, reason: `idle for ${round(stats.coveredSeconds)} s (no messages or rows)` });
  }
  if (stats.errors > 0) decisions.push({ ...base, action: 'alert', to: replicas, reason: `${stats.errors} errors in the last ${windowSeconds} s` });
  return decisions;
}
