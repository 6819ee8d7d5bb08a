import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { InputError } from '../../errors';
import type { StackSettings } from '../../stack/stack-settings';
import type { Dataset, Tenant } from '../../tenant/types';
import { tenantLabels } from '../common/labels';
import { tenantNamespace, workloadName } from '../common/naming';
import { runtimePodSpec } from './runtime-pod';

export interface BatchCronJobProps {
  readonly tenant: Tenant;
  readonly dataset: Dataset;
  readonly settings: StackSettings;
  /** Retries of a failed run within one schedule slot. @default 2 */
  readonly backoffLimit?: number;
  /** A run that could not start this long after its slot is skipped. @default 300 */
  readonly startingDeadlineSeconds?: number;
  /** @default 3 */
  readonly successfulJobsHistoryLimit?: number;
  /** @default 3 */
  readonly failedJobsHistoryLimit?: number;
}

/** Kubernetes appends 11 characters to a CronJob's name for its Jobs. */
export const CRON_JOB_NAME_MAX = 52;

/**
 * CronJob `<dns-client>-<dataset>-batch` (clientbatchingestapp): runs `batch` on the dataset's
 * schedule with its resources, env CLIENT_ID, SOURCE_PATH, DATASET and the Kafka SASL credentials;
 * never two runs at once (concurrencyPolicy Forbid), since a run owns the files it moves.
 */
export class BatchCronJob extends Construct {
  constructor(scope: Construct, id: string, props: BatchCronJobProps) {
    super(scope, id);
    const { tenant, dataset, settings } = props;
    const name = workloadName(tenant, dataset, 'batch');
    if (name.length > CRON_JOB_NAME_MAX) throw new InputError(`CronJob name "${name}" is longer than ${CRON_JOB_NAME_MAX} characters`);
    const backoffLimit = props.backoffLimit ?? 2;
    const startingDeadlineSeconds = props.startingDeadlineSeconds ?? 300;
    const successfulJobsHistoryLimit = props.successfulJobsHistoryLimit ?? 3;
    const failedJobsHistoryLimit = props.failedJobsHistoryLimit ?? 3;
    const counts = { backoffLimit, successfulJobsHistoryLimit, failedJobsHistoryLimit } as const;
    for (const [field, value] of Object.entries(counts)) {
      if (!Number.isInteger(value) || value < 0) throw new InputError(`BatchCronJob: ${field} must be an integer >= 0, got ${value}`);
    }
    // The CronJob controller ignores deadlines under 10 s (it checks every 10 s).
    if (!Number.isInteger(startingDeadlineSeconds) || startingDeadlineSeconds < 10) {
      throw new InputError(`BatchCronJob: startingDeadlineSeconds must be an integer >= 10, got ${startingDeadlineSeconds}`);
    }
    const labels = tenantLabels(tenant, 'batch', dataset);
    new k8s.KubeCronJob(this, 'cron-job', {
      metadata: { name, namespace: tenantNamespace(settings, tenant), labels },
      spec: {
        schedule: dataset.schedule.expression,
        // explicit, so the schedule never depends on the controller's zone
        timeZone: dataset.schedule.timeZone ?? 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds,
        successfulJobsHistoryLimit,
        failedJobsHistoryLimit,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit,
            template: {
              metadata: { labels },
              spec: runtimePodSpec({ tenant, settings, dataset, name: 'batch', args: ['batch'], resources: dataset.resources, restartPolicy: 'Never' }),
            },
          },
        },
      },
    });
  }
}
