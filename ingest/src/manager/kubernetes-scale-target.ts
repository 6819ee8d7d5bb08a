import type * as k8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { Dataset, Tenant } from '../../../infra/tenant/types';
import { EngineError } from '../../../infra/errors';
import { NOTHING_SKIPPED, type ScaleResult, type ScaleTarget } from './scale-target';

/**
 * Who sets the replicas of the sink Deployments: this manager (with the stream's), or KEDA's
 * ScaledObject on consumer lag (stacks with `installKeda: true`), which the manager must not fight.
 */
export type SinkScaler = 'manager' | 'keda';
export const SINK_SCALERS: readonly SinkScaler[] = ['manager', 'keda'];

export interface KubernetesScaleTargetOptions {
  /** Tenant namespaces are `<prefix>-<dns-client>`. @default "mysimbdp" */
  readonly namespacePrefix?: string;
  /** @default "manager" (stream and sink scale together) */
  readonly sinkScaler?: SinkScaler;
  /** Explicit cluster/user/context (as in a kubeconfig file). @default in-cluster service account, else KUBECONFIG / ~/.kube/config */
  readonly kubeConfig?: Parameters<k8s.KubeConfig['loadFromOptions']>[0];
}

/** `<dns-client>-<dataset>-<role>`, the Deployment names the infra constructs create. */
export function deploymentName(tenant: Tenant, dataset: Dataset, role: 'stream' | 'sink'): string {
  return `${tenant.dnsName}-${dataset.name}-${role}`;
}

/**
 * Scales a tenant dataset's `-stream` and `-sink` Deployments together with JSON merge patches of
 * `spec.replicas` through the Kubernetes API (the platform's monitor ServiceAccount needs get and
 * patch on deployments in tenant namespaces). With sinkScaler `keda` only the stream: the sink's
 * replicas belong to its ScaledObject, and each scale reports the sink as skipped.
 */
export class KubernetesScaleTarget implements ScaleTarget {
  private constructor(
    private readonly api: k8s.AppsV1Api,
    private readonly mergePatch: k8s.ConfigurationOptions,
    private readonly namespacePrefix: string,
    private readonly sinkScaler: SinkScaler,
  ) {}

  /** Async because @kubernetes/client-node is an ES module, loaded with import() from this CommonJS code. */
  static async create(options: KubernetesScaleTargetOptions = {}): Promise<KubernetesScaleTarget> {
    const client = await import('@kubernetes/client-node');
    const kubeConfig = new client.KubeConfig();
    if (options.kubeConfig === undefined) kubeConfig.loadFromDefault();
    else kubeConfig.loadFromOptions(options.kubeConfig);
    return new KubernetesScaleTarget(
      kubeConfig.makeApiClient(client.AppsV1Api),
      client.setHeaderOptions('Content-Type', client.PatchStrategy.MergePatch),
      options.namespacePrefix ?? 'mysimbdp',
      options.sinkScaler ?? 'manager',
    );
  }

  namespace(tenant: Tenant): string {
    return `${this.namespacePrefix}-${tenant.dnsName}`;
  }

  async replicas(tenant: Tenant, dataset: Dataset): Promise<number> {
    const name = deploymentName(tenant, dataset, 'stream');
    const namespace = this.namespace(tenant);
    try {
      const deployment = await this.api.readNamespacedDeployment({ name, namespace });
      return deployment.spec?.replicas ?? 1;
    } catch (err) {
      throw this.failure(`read deployment ${namespace}/${name}`, err, tenant, dataset);
    }
  }

  async scale(tenant: Tenant, dataset: Dataset, replicas: number): Promise<ScaleResult> {
    const namespace = this.namespace(tenant);
    const kedaSink = this.sinkScaler === 'keda';
    for (const role of kedaSink ? (['stream'] as const) : (['stream', 'sink'] as const)) {
      const name = deploymentName(tenant, dataset, role);
      try {
        await this.api.patchNamespacedDeployment({ name, namespace, body: { spec: { replicas } }, fieldManager: 'mysimbdp-monitor' }, this.mergePatch);
      } catch (err) {
        throw this.failure(`scale deployment ${namespace}/${name} to ${replicas}`, err, tenant, dataset);
      }
    }
    if (!kedaSink) return NOTHING_SKIPPED;
    return { skipped: [`sink deployment ${namespace}/${deploymentName(tenant, dataset, 'sink')} not scaled: KEDA's ScaledObject owns its replicas (sink scaler keda)`] };
  }

  private failure(what: string, err: unknown, tenant: Tenant, dataset: Dataset): EngineError {
    const code = (err as { code?: unknown }).code;
    const status = typeof code === 'number' ? ` (HTTP ${code})` : '';
    return new EngineError(`Kubernetes API: cannot ${what}${status}: ${apiServerMessage(err) ?? (err as Error).message.split('\n')[0]}`, {
      cause: err,
      retriable: typeof code !== 'number' || code >= 500 || code === 429,
      context: { tenant: tenant.client, dataset: dataset.name },
    });
  }
}

/** The API server's own words (its Status body's message), which client-node keeps only in `body`. */
function apiServerMessage(err: unknown): string | undefined {
  const body = (err as { body?: unknown }).body;
  try {
    const status = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: unknown } | undefined;
    return typeof status?.message === 'string' ? status.message : undefined;
  } catch {
    return undefined;
  }
}
