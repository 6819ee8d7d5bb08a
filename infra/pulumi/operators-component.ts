import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { MONITORING_NAMESPACE, platformNamespace } from '../constructs/common/naming';
import { readCrds } from '../imports/crd-files';
import type { StackSettings } from '../stack/stack-settings';

/** A Helm chart the platform can install, pinned. */
export interface OperatorChart {
  readonly chart: string;
  readonly version: string;
  /** Repository URL; unset for OCI charts (`chart` is then the oci:// reference). @default undefined */
  readonly repo?: string;
  readonly namespace: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/**
 * Charts behind the stack's operator flags (versions pinned here; bump them deliberately). Strimzi watches every namespace (tenant Kafka Connect
 * workers live in tenant namespaces); kube-prometheus-stack picks up every PodMonitor/ServiceMonitor/PrometheusRule
 * and every ConfigMap labelled `grafana_dashboard: "1"`.
 */
export function operatorCharts(settings: StackSettings): Record<'strimzi' | 'cassOperator' | 'keda' | 'prometheus', OperatorChart> {
  return {
    strimzi: {
      chart: 'oci://quay.io/strimzi-helm/strimzi-kafka-operator',
      version: '1.2.0',
      namespace: 'strimzi-system',
      values: { watchAnyNamespace: true },
    },
    cassOperator: {
      chart: 'cass-operator',
      repo: 'https://helm.k8ssandra.io/stable',
      version: '0.64.1',
      namespace: 'cass-operator',
      // Not namespace-local (the chart default): the datacenter lives in the platform namespace.
      // The chart's admission webhook needs cert-manager for its serving certificate, and the chart
      // refuses to install without it; the platform installs no cert-manager, so the webhook is off.
      values: { global: { clusterScoped: true, watchNamespaces: [platformNamespace(settings)] }, admissionWebhooks: { enabled: false } },
    },
    keda: {
      chart: 'keda',
      repo: 'https://kedacore.github.io/charts',
      version: '2.17.2',
      namespace: 'keda',
      values: {},
    },
    prometheus: {
      chart: 'kube-prometheus-stack',
      repo: 'https://prometheus-community.github.io/helm-charts',
      version: '75.15.1',
      namespace: MONITORING_NAMESPACE,
      values: {
        prometheus: {
          prometheusSpec: {
            podMonitorSelectorNilUsesHelmValues: false,
            serviceMonitorSelectorNilUsesHelmValues: false,
            ruleSelectorNilUsesHelmValues: false,
            podMonitorNamespaceSelector: {},
            serviceMonitorNamespaceSelector: {},
            ruleNamespaceSelector: {},
          },
        },
        grafana: { sidecar: { dashboards: { enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL' } } },
      },
    },
  };
}

export interface OperatorsComponentArgs {
  readonly settings: StackSettings;
}

/**
 * The operators the stack's flags turn on, each a Helm release in its own namespace, preceded by the
 * CRDs of the custom resources the platform makes. A Helm release installs its chart's CRDs only
 * while it installs, so neither a preview nor a resource created alongside can rely on them; CRDs
 * of their own are known to the provider from the first preview, created first, and outlive every
 * `destroy` (as Helm, too, never deletes CRDs). The charts still install the CRDs the platform does
 * not make (Strimzi's StrimziPodSet, KafkaBridge, …): Helm creates a chart's CRDs only where none
 * of that name exists, and leaves existing ones alone.
 */
export class OperatorsComponent extends pulumi.ComponentResource {
  /** What the platform's custom resources need first: the CRDs and the installed releases. */
  readonly dependencies: readonly pulumi.Resource[];

  constructor(name: string, args: OperatorsComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mysimbdp:platform:Operators', name, {}, opts);
    const charts = operatorCharts(args.settings);
    const flags = args.settings.operators;
    const crds = flags.crds
      ? (['strimzi', 'cassOperator'] as const).flatMap((operator) =>
          readCrds(operator).map(
            (crd) =>
              new k8s.apiextensions.v1.CustomResourceDefinition(`${name}-crd-${crd.metadata.name}`, crd as unknown as k8s.apiextensions.v1.CustomResourceDefinitionArgs, {
                parent: this,
                retainOnDelete: true,
              }),
          ),
        )
      : [];
    const enabled = (Object.keys(charts) as (keyof typeof charts)[]).filter((key) => flags[key]);
    const releases = enabled.map((key) => {
      const c = charts[key];
      return new k8s.helm.v3.Release(
        `${name}-${key}`,
        {
          chart: c.chart,
          version: c.version,
          ...(c.repo === undefined ? {} : { repositoryOpts: { repo: c.repo } }),
          namespace: c.namespace,
          createNamespace: true,
          atomic: true,
          values: c.values as Record<string, pulumi.Input<unknown>>,
        },
        { parent: this, dependsOn: crds },
      );
    });
    this.dependencies = [...crds, ...releases];
    this.registerOutputs({ crds: crds.length, releases: enabled });
  }
}
