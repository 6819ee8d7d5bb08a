import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import type { StackSettings } from '../../stack/stack-settings';
import { Quantity } from '../../tenant/rules/quantity';
import type { Resources, Tenant } from '../../tenant/types';
import { platformLabels } from '../common/labels';
import { MONITOR_OPERATOR_SECRET, MONITOR_TOKENS_SECRET, MONITORING_NAMESPACE, PLATFORM_PORTS, TENANTS_MOUNT } from '../common/naming';
import { requireDnsLabel } from './platform-validation';
import { RuntimeService } from './runtime-service';
import { tenantFilesVolume } from './tenant-files-volume';
import { OPERATOR_TOKENS_KEY, TOKENS_KEY } from './upload-api';

export interface StreamMonitorProps {
  readonly settings: StackSettings;
  readonly namespace: string;
  /** Tenants whose stream thresholds the monitor checks reports against. */
  readonly tenants: readonly Tenant[];
  /** Deployment, Service and ServiceAccount name. @default "mysimbdp-monitor" */
  readonly name?: string;
  /** @default settings.replicas.monitor */
  readonly replicas?: number;
  /** @default requests 100m/128Mi, limits 500m/256Mi */
  readonly resources?: Resources;
  /** Secret with key `tokens.json` (client id → SHA-256 hex of its monitor token), the upload API's
   * format; the Pulumi program creates it, so no token hash is in a manifest.
   * @default "mysimbdp-monitor-tokens" */
  readonly tokensSecret?: string;
}

export const MONITOR_TOKENS_MOUNT = '/etc/mysimbdp/monitor-tokens';
/** Where the monitor mounts its operator tokens file (key OPERATOR_TOKENS_KEY of `mysimbdp-monitor-operator`). */
export const MONITOR_OPERATOR_TOKENS_MOUNT = '/etc/mysimbdp/monitor-operator-tokens';
/** Pod template annotation the Pulumi program sets to a digest of the tokens files (tenants' and
 * operators'): the monitor reads them at start, so a new token (a rotated seed, a new tenant) must
 * roll the Deployment. */
export const MONITOR_TOKENS_DIGEST_ANNOTATION = 'mysimbdp.io/monitor-tokens';

const DEFAULT_MONITOR_RESOURCES: Resources = { requests: { cpu: Quantity.cpu('100m'), memory: Quantity.memory('128Mi') }, limits: { cpu: Quantity.cpu('500m'), memory: Quantity.memory('256Mi') } };

/**
 * The stream monitor (`mysimbdp monitor`) with the stream manager's rights: it receives stream
 * reports on 8081 and scales tenant stream/sink Deployments through the Kubernetes API
 * (SCALE_TARGET=kubernetes) as its own ServiceAccount. On stacks with KEDA, SINK_SCALER=keda: the
 * sinks' replicas belong to their ScaledObjects, so the manager scales only the streams. It holds
 * no cluster-wide rights: each tenant chart grants this account get/patch on exactly that tenant's
 * stream (and, without KEDA, sink) Deployments
 * (tenant/tenant-scaler-access.ts). Reports steer scaling, so only mysimbdp namespaces (tenant
 * streams) and the Prometheus namespace may reach the monitor's port, and a report counts only with
 * its tenant's token (`--tokens`: the SHA-256 of each tenant's, from Secret `mysimbdp-monitor-tokens`).
 * The upload API reads every tenant's decisions with an operator token, whose SHA-256 the monitor
 * reads from Secret `mysimbdp-monitor-operator` (MONITOR_OPERATOR_TOKENS_FILE).
 */
export class StreamMonitor extends Construct {
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: StreamMonitorProps) {
    super(scope, id);
    const name = props.name ?? 'mysimbdp-monitor';
    const tokensSecret = props.tokensSecret ?? MONITOR_TOKENS_SECRET;
    requireDnsLabel('StreamMonitor', 'name', name);
    requireDnsLabel('StreamMonitor', 'tokensSecret', tokensSecret);
    const labels = platformLabels('monitor');
    const port = PLATFORM_PORTS.monitor;

    new k8s.KubeServiceAccount(this, 'account', {
      metadata: { name, namespace: props.namespace, labels },
      automountServiceAccountToken: false,
    });
    const service = new RuntimeService(this, 'service', {
      settings: props.settings,
      name,
      namespace: props.namespace,
      component: 'monitor',
      args: ['monitor', '--port', String(port), '--tokens', `${MONITOR_TOKENS_MOUNT}/${TOKENS_KEY}`],
      port,
      replicas: props.replicas ?? props.settings.replicas.monitor,
      resources: props.resources ?? DEFAULT_MONITOR_RESOURCES,
      readinessPath: '/readyz',
      livenessPath: '/healthz',
      env: [
        { name: 'TENANTS_DIR', value: TENANTS_MOUNT },
        { name: 'SCALE_TARGET', value: 'kubernetes' },
        { name: 'NAMESPACE_PREFIX', value: props.settings.namespacePrefix },
        { name: 'SINK_SCALER', value: props.settings.operators.keda ? 'keda' : 'manager' },
        { name: 'MONITOR_OPERATOR_TOKENS_FILE', value: `${MONITOR_OPERATOR_TOKENS_MOUNT}/${OPERATOR_TOKENS_KEY}` },
      ],
      volumes: [
        { name: 'tokens', secret: { secretName: tokensSecret, items: [{ key: TOKENS_KEY, path: TOKENS_KEY }], defaultMode: 0o440 } },
        { name: 'operator-tokens', secret: { secretName: MONITOR_OPERATOR_SECRET, items: [{ key: OPERATOR_TOKENS_KEY, path: OPERATOR_TOKENS_KEY }], defaultMode: 0o440 } },
        tenantFilesVolume('tenants', props.tenants),
      ],
      volumeMounts: [
        { name: 'tokens', mountPath: MONITOR_TOKENS_MOUNT, readOnly: true },
        { name: 'operator-tokens', mountPath: MONITOR_OPERATOR_TOKENS_MOUNT, readOnly: true },
        { name: 'tenants', mountPath: TENANTS_MOUNT, readOnly: true },
      ],
      serviceAccountName: name,
      automountServiceAccountToken: true,
    });
    this.serviceName = service.serviceName;

    new k8s.KubeNetworkPolicy(this, 'ingress', {
      metadata: { name: `${name}-ingress`, namespace: props.namespace, labels },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/instance': name } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'mysimbdp' } } },
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': MONITORING_NAMESPACE } } },
            ],
            ports: [{ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' }],
          },
        ],
      },
    });
  }
}
