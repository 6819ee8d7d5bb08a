import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { InputError } from '../../errors';
import type { StackSettings } from '../../stack/stack-settings';
import type { Dataset, Tenant } from '../../tenant/types';
import { tenantLabels, tenantSelector } from '../common/labels';
import { monitorTokenSecretName, platformEndpoints, tenantNamespace, workloadName } from '../common/naming';
import { runtimePodSpec, secretEnv } from './runtime-pod';

export type DeploymentRole = 'stream' | 'sink';

export interface RuntimeDeploymentProps {
  readonly tenant: Tenant;
  readonly dataset: Dataset;
  readonly settings: StackSettings;
  /** `stream` (clientstreamingestapp: staging in/ and the raw topic) or `sink` (Kafka → Cassandra). */
  readonly role: DeploymentRole;
  /**
   * An autoscaler (KEDA) owns `spec.replicas`: leave it out so each deploy does not reset the
   * scale. @default false
   */
  readonly autoscaled?: boolean;
}

/** Container args of each role (the image's ENTRYPOINT is the CLI). */
function roleArgs(role: DeploymentRole, tenant: Tenant): string[] {
  return role === 'stream' ? ['stream'] : ['sink', '--client', tenant.client];
}

/** The stream's reports go to the monitor, which takes them only with the tenant's token. */
function monitorEnv(tenant: Tenant, settings: StackSettings): k8s.EnvVar[] {
  return [{ name: 'MONITOR_URL', value: platformEndpoints(settings).monitorUrl }, secretEnv('MONITOR_TOKEN', monitorTokenSecretName(tenant), 'token')];
}

/**
 * Deployment `<dns-client>-<dataset>-<role>` with `agreement.stream.minReplicas` replicas (the
 * stream manager or KEDA scales it up to maxReplicas) and the dataset's resources. Rolling updates
 * never surge, so the tenant's ResourceQuota (sized for maxReplicas) always admits them.
 */
export class RuntimeDeployment extends Construct {
  constructor(scope: Construct, id: string, props: RuntimeDeploymentProps) {
    super(scope, id);
    const { tenant, dataset, settings, role } = props;
    const { minReplicas, maxReplicas } = tenant.agreement.stream;
    if (!Number.isInteger(minReplicas) || minReplicas < 0 || minReplicas > maxReplicas) {
      throw new InputError(`tenant "${tenant.client}": stream.minReplicas must be an integer from 0 to stream.maxReplicas (${maxReplicas}), got ${minReplicas}`);
    }
    const labels = tenantLabels(tenant, role, dataset);
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: workloadName(tenant, dataset, role), namespace: tenantNamespace(settings, tenant), labels },
      spec: {
        ...((props.autoscaled ?? false) ? {} : { replicas: minReplicas }),
        selector: { matchLabels: tenantSelector(tenant, role, dataset) },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(0), maxUnavailable: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels },
          spec: runtimePodSpec({
            tenant,
            settings,
            dataset,
            name: role,
            args: roleArgs(role, tenant),
            resources: dataset.resources,
            metrics: true,
            // The sink reads Kafka and writes Cassandra only; it has no business in staging.
            staging: role === 'stream',
            extraEnv: role === 'stream' ? monitorEnv(tenant, settings) : [],
          }),
        },
      },
    });
  }
}
