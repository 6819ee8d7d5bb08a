import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import type { StackSettings } from '../../stack/stack-settings';
import type { Resources, Tenant } from '../../tenant/types';
import { platformLabels } from '../common/labels';
import { PLATFORM_PORTS, TENANTS_MOUNT } from '../common/naming';
import { requireDnsLabel } from './platform-validation';
import { RuntimeService } from './runtime-service';
import { tenantFilesVolume } from './tenant-files-volume';

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
}

const DEFAULT_MONITOR_RESOURCES: Resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } };

/**
 * The stream monitor (`mysimbdp monitor`) with the stream manager's rights: it receives stream
 * reports on 8081 and scales tenant stream/sink Deployments through the Kubernetes API
 * (SCALE_TARGET=kubernetes), so its ServiceAccount may read and patch Deployments in any namespace —
 * and nothing else (no Secrets, no pods, no exec).
 */
export class StreamMonitor extends Construct {
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: StreamMonitorProps) {
    super(scope, id);
    const name = props.name ?? 'mysimbdp-monitor';
    requireDnsLabel('StreamMonitor', 'name', name);
    const labels = platformLabels('monitor');
    const port = PLATFORM_PORTS.monitor;

    new k8s.KubeServiceAccount(this, 'account', {
      metadata: { name, namespace: props.namespace, labels },
      automountServiceAccountToken: false,
    });
    const role = `${props.namespace}-${name}-scaler`;
    new k8s.KubeClusterRole(this, 'role', {
      metadata: { name: role, labels },
      rules: [
        // The manager (ingest/src/manager/kubernetes-scale-target.ts) merge-patches spec.replicas.
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'patch'] },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'binding', {
      metadata: { name: role, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'ServiceAccount', name, namespace: props.namespace }],
    });

    const service = new RuntimeService(this, 'service', {
      settings: props.settings,
      name,
      namespace: props.namespace,
      component: 'monitor',
      args: ['monitor', '--port', String(port)],
      port,
      replicas: props.replicas ?? props.settings.replicas.monitor,
      resources: props.resources ?? DEFAULT_MONITOR_RESOURCES,
      readinessPath: '/readyz',
      livenessPath: '/healthz',
      env: [
        { name: 'TENANTS_DIR', value: TENANTS_MOUNT },
        { name: 'SCALE_TARGET', value: 'kubernetes' },
        { name: 'NAMESPACE_PREFIX', value: props.settings.namespacePrefix },
      ],
      volumes: [tenantFilesVolume('tenants', props.tenants)],
      volumeMounts: [{ name: 'tenants', mountPath: TENANTS_MOUNT, readOnly: true }],
      serviceAccountName: name,
      automountServiceAccountToken: true,
    });
    this.serviceName = service.serviceName;
  }
}
