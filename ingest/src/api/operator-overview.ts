import type { Tenant } from '../../../infra/tenant/types';
import { errorFields } from '../log';
import type { DecisionRecord } from '../manager/decision';
import { aggregateStats, type IngestionFigures } from '../stats/ingestion-stats';
import type { IngestionLogSource } from './ingestion-log-access';
import type { DecisionsSource } from './monitor-decisions';
import { listTenantFiles, type FileState } from './tenant-files';

/** Decisions the operator view shows. */
export const RECENT_DECISIONS = 50;

const FILE_STATES: readonly FileState[] = ['waiting', 'processing', 'archived', 'failed', 'refused'];

export interface TenantOverview {
  readonly client: string;
  /** Files in the staging area by state, now. */
  readonly staging: Readonly<Record<FileState, number>>;
  /** What `mysimbdp stats` shows for the tenant; null when the ingestion log could not be read. */
  readonly figures: IngestionFigures | null;
}

export interface OperatorOverview {
  readonly ingestion_log: { readonly available: boolean; readonly error?: string };
  /** The platform totals of `mysimbdp stats`; null when the ingestion log could not be read. */
  readonly platform: IngestionFigures | null;
  readonly tenants: readonly TenantOverview[];
  readonly decisions: { readonly available: boolean; readonly error?: string; readonly recent: readonly DecisionRecord[] };
}

/** Strips a stats report down to its figures. */
const figuresOf = ({ scope: _scope, tenants: _tenants, ...figures }: Awaited<ReturnType<typeof aggregateStats>>): IngestionFigures => figures;

/**
 * Every configured tenant's staging counts and ingestion figures (the `stats` command's, from the
 * same log and the same aggregation), the platform totals, and the monitor's newest decisions (read
 * from the monitor itself). Neither source being away fails the overview: each says why instead.
 */
export async function operatorOverview(options: {
  readonly sourcePath: string;
  readonly tenants: readonly Tenant[];
  readonly log: IngestionLogSource | undefined;
  readonly decisions: DecisionsSource | undefined;
}): Promise<OperatorOverview> {
  let report: Awaited<ReturnType<typeof aggregateStats>> | undefined;
  let logError: string | undefined;
  if (options.log === undefined) logError = 'no ingestion log configured';
  else {
    try {
      report = await aggregateStats(options.log.list());
    } catch (err) {
      logError = String(errorFields(err).error);
    }
  }
  const tenants: TenantOverview[] = [];
  for (const tenant of options.tenants) {
    const staging = Object.fromEntries(FILE_STATES.map((s) => [s, 0])) as Record<FileState, number>;
    for (const file of await listTenantFiles(options.sourcePath, tenant)) staging[file.state]++;
    const figures = report === undefined ? null : (report.tenants.find((t) => t.client === tenant.client) ?? figuresOf(await aggregateStats([], tenant.client)));
    tenants.push({ client: tenant.client, staging, figures });
  }
  let decisions: OperatorOverview['decisions'];
  if (options.decisions === undefined) decisions = { available: false, error: 'no monitor configured (--monitor-url or MONITOR_URL)', recent: [] };
  else {
    try {
      decisions = { available: true, recent: await options.decisions.recent(RECENT_DECISIONS) };
    } catch (err) {
      decisions = { available: false, error: (err as Error).message, recent: [] };
    }
  }
  return {
    ingestion_log: logError === undefined ? { available: true } : { available: false, error: logError },
    platform: report === undefined ? null : figuresOf(report),
    tenants,
    decisions,
  };
}
