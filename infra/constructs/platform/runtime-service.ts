import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import type { StackSettings } from '../../stack/stack-settings';
import type { Resources } from '../../tenant/types';
import { platformLabels, COMPONENT_LABEL, type Component } from '../common/labels';
import { securePodSpec } from '../common/secure-pod';
import { requireDnsLabel, requireInteger } from './platform-validation';

export interface RuntimeServiceProps {
  readonly settings: StackSettings;
  /** Deployment and Service name. */
  readonly name: string;
  readonly namespace: string;
  readonly component: Extract<Component, 'api' | 'monitor'>;
  /** CLI arguments of the runtime image, e.g. `['monitor', '--port', '8081']`. */
  readonly args: readonly string[];
  /** HTTP port of the command; container and Service port `http`, also serving `/metrics`. */
  readonly port: number;
  readonly replicas: number;
  readonly resources: Resources;
  /** Path answering 200 once the pod can serve. */
  readonly readinessPath: string;
  /** Path answering 200 while the process is healthy. @default readinessPath */
  readonly livenessPath?: string;
  /** @default [] */
  readonly env?: readonly k8s.EnvVar[];
  /** @default [] */
  readonly volumes?: readonly k8s.Volume[];
  /** @default [] */
  readonly volumeMounts?: readonly k8s.VolumeMount[];
  /** @default "default" */
  readonly serviceAccountName?: string;
  /** @default false */
  readonly automountServiceAccountToken?: boolean;
}

/** Label selecting every platform Service whose port `http` serves `/metrics` (one ServiceMonitor for all). */
export const METRICS_SERVICE_LABEL = 'mysimbdp.io/metrics';

/**
 * A long-running runtime command (upload API, monitor) as a Deployment behind a ClusterIP Service,
 * its pod shaped by the shared secure pod spec, with a PodDisruptionBudget when it runs replicas.
 */
export class RuntimeService extends Construct {
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: RuntimeServiceProps) {
    super(scope, id);
    requireDnsLabel('RuntimeService', 'name', props.name);
    requireDnsLabel('RuntimeService', 'namespace', props.namespace);
    requireInteger('RuntimeService', 'port', props.port, 1024, 65535);
    requireInteger('RuntimeService', 'replicas', props.replicas, 1);
    this.serviceName = props.name;

    const selector = { 'app.kubernetes.io/instance': props.name, [COMPONENT_LABEL]: props.component };
    const labels = { ...platformLabels(props.component), ...selector };
    const probe = (path: string, periodSeconds: number): k8s.Probe => ({
      httpGet: { path, port: k8s.IntOrString.fromString('http') },
      periodSeconds,
      timeoutSeconds: 3,
      failureThreshold: 3,
    });
    const template = securePodSpec({
      settings: props.settings,
      serviceAccountName: props.serviceAccountName,
      automountServiceAccountToken: props.automountServiceAccountToken,
      volumes: props.volumes,
      containers: [
        {
          name: props.component,
          args: props.args,
          resources: props.resources,
          env: props.env,
          ports: [{ name: 'http', containerPort: props.port, protocol: 'TCP' }],
          volumeMounts: props.volumeMounts,
          readinessProbe: probe(props.readinessPath, 10),
          livenessProbe: probe(props.livenessPath ?? props.readinessPath, 20),
        },
      ],
    });

    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        replicas: props.replicas,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: { metadata: { labels }, spec: template },
      },
    });
    if (props.replicas > 1) {
      // Node drains keep at least one pod serving.
      new k8s.KubePodDisruptionBudget(this, 'disruption-budget', {
        metadata: { name: props.name, namespace: props.namespace, labels },
        spec: { minAvailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
      });
    }
    new k8s.KubeService(this, 'service', {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...labels, [METRICS_SERVICE_LABEL]: 'true' } },
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'http', port: props.port, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });
  }
}
