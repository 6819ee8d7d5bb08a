/** What the monitor asks the manager to do for one tenant dataset's stream workload. */
export type ScaleAction = 'scale_up' | 'scale_down' | 'alert';

export interface ScaleDecision {
  readonly tenant: string;
  readonly dataset: string;
  readonly action: ScaleAction;
  /** Replicas before. */
  readonly from: number;
  /** Replicas asked for (equal to `from` for an alert). */
  readonly to: number;
  /** Why, with the figures that triggered it. */
  readonly reason: string;
}

/** A decision as recorded in the decision log, with the time and what became of it. */
export interface DecisionRecord extends ScaleDecision {
  readonly time: string;
  /** `applied`, `alerted`, or `failed` with `error`. */
  readonly outcome: 'applied' | 'alerted' | 'failed';
  readonly error?: string;
  /** Workloads the scale left alone, each with why (e.g. a sink KEDA scales); only when there were some. */
  readonly skipped?: readonly string[];
}
