import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { StackSettings } from '../../stack/stack-settings';
import type { Tenant } from '../../tenant/types';
import { COMPONENT_LABEL, platformLabels, TENANT_LABEL, tenantLabels } from '../common/labels';
import { MONITORING_NAMESPACE, PLATFORM_PORTS, platformNamespace, tenantNamespace } from '../common/naming';
import { connectClusterName } from './tenant-kafka-connect';

export interface TenantNetworkPolicyProps {
  readonly tenant: Tenant;
  readonly settings: StackSettings;
}

const port = (n: number, protocol: 'TCP' | 'UDP' = 'TCP'): k8s.NetworkPolicyPort => ({ port: k8s.IntOrString.fromNumber(n), protocol });
const inNamespace = (namespace: string, podLabels: Record<string, string>): k8s.NetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
  podSelector: { matchLabels: podLabels },
});

/**
 * Default deny in the tenant namespace, then only the flows the tenant needs:
 * - runtime pods (batch, stream, sink) → cluster DNS, Kafka brokers (9092), Cassandra (9042);
 * - stream → the monitor (8081);
 * - the platform namespace (Prometheus) → stream and sink metrics (9464);
 * - with connectors, the Connect worker and its build pod → DNS, Kafka and outside the cluster
 *   (connector targets, plugin downloads, image push); Strimzi adds its own policy for its REST API.
 * Nothing reaches another tenant's namespace.
 */
export class TenantNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: TenantNetworkPolicyProps) {
    super(scope, id);
    const { tenant, settings } = props;
    const namespace = tenantNamespace(settings, tenant);
    const platform = platformNamespace(settings);
    const policy = (name: string, spec: k8s.NetworkPolicySpec) =>
      new k8s.KubeNetworkPolicy(this, name, { metadata: { name, namespace, labels: tenantLabels(tenant, 'tenant') }, spec });
    const components = (...values: string[]): k8s.LabelSelector => ({
      matchLabels: { [TENANT_LABEL]: tenant.client },
      matchExpressions: [{ key: COMPONENT_LABEL, operator: 'In', values }],
    });
    const dns: k8s.NetworkPolicyEgressRule = {
      to: [inNamespace('kube-system', { 'k8s-app': 'kube-dns' })],
      ports: [port(53, 'UDP'), port(53, 'TCP')],
    };
    const kafka: k8s.NetworkPolicyEgressRule = {
      to: [inNamespace(platform, { 'strimzi.io/cluster': settings.kafkaClusterName, 'strimzi.io/kind': 'Kafka' })],
      ports: [port(PLATFORM_PORTS.kafka)],
    };

    policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    policy('runtime-egress', {
      podSelector: components('batch', 'stream', 'sink'),
      policyTypes: ['Egress'],
      egress: [
        dns,
        kafka,
        { to: [inNamespace(platform, { 'cassandra.datastax.com/cluster': settings.cassandraClusterName })], ports: [port(PLATFORM_PORTS.cassandra)] },
      ],
    });
    policy('stream-to-monitor', {
      podSelector: components('stream'),
      policyTypes: ['Egress'],
      egress: [{ to: [inNamespace(platform, { 'app.kubernetes.io/name': platformLabels('monitor')['app.kubernetes.io/name'] as string })], ports: [port(PLATFORM_PORTS.monitor)] }],
    });
    policy('metrics-from-platform', {
      podSelector: components('stream', 'sink'),
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [platform, MONITORING_NAMESPACE].map((ns) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } })),
          ports: [port(PLATFORM_PORTS.metrics)],
        },
      ],
    });
    if (tenant.agreement.connectors.length > 0) {
      policy('connect-egress', {
        podSelector: { matchLabels: { 'strimzi.io/cluster': connectClusterName(tenant), 'strimzi.io/kind': 'KafkaConnect' } },
        policyTypes: ['Egress'],
        egress: [dns, kafka, { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }] }],
      });
    }
  }
}
