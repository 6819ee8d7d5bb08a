import { k8s } from 'cdk8s-plus-27';
import { InputError } from '../../errors';
import { imageRef, type StackSettings } from '../../stack/stack-settings';
import { requestOverLimit } from '../../tenant/parse-resources';
import type { Resources } from '../../tenant/types';
import { isDnsLabel } from '../../tenant/rules/dns-name';

// The one place pods are shaped. Every workload — tenant and platform — gets its pod spec here, so
// the security policy (non-root uid 10001, read-only root, no privilege escalation, no capabilities,
// RuntimeDefault seccomp, cpu+memory requests and limits, the stack's pinned image) cannot drift.

/** The image's non-root user (ingest/Dockerfile). */
export const RUNTIME_UID = 10001;

export interface SecureContainerProps {
  /** DNS label. */
  readonly name: string;
  /** CLI arguments after the image's ENTRYPOINT (`mysimbdp`), e.g. `['sink', '--client', 'client_a']`. */
  readonly args: readonly string[];
  /** cpu and memory requests and limits, all required. */
  readonly resources: Resources;
  /** @default [] */
  readonly env?: readonly k8s.EnvVar[];
  /** @default [] */
  readonly ports?: readonly k8s.ContainerPort[];
  /** Mounts besides `/tmp`. @default [] */
  readonly volumeMounts?: readonly k8s.VolumeMount[];
  /** @default none */
  readonly readinessProbe?: k8s.Probe;
  /** @default none */
  readonly livenessProbe?: k8s.Probe;
}

export interface SecurePodSpecProps {
  /** Source of the image (registry/repository:tag). */
  readonly settings: StackSettings;
  readonly containers: readonly SecureContainerProps[];
  /** Volumes besides the `/tmp` emptyDir. @default [] */
  readonly volumes?: readonly k8s.Volume[];
  /** @default 'default' */
  readonly serviceAccountName?: string;
  /** @default 'Always' */
  readonly restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  /** Only pods that call the Kubernetes API need a token. @default false */
  readonly automountServiceAccountToken?: boolean;
}

const TMP_VOLUME = 'tmp';

function secureContainer(props: SecureContainerProps, image: string): k8s.Container {
  if (!isDnsLabel(props.name)) throw new InputError(`container name must be a DNS label, got "${props.name}"`);
  const over = requestOverLimit(props.resources);
  if (over !== undefined) {
    throw new InputError(`container "${props.name}": resources.requests.${over} "${props.resources.requests[over]}" exceeds resources.limits.${over} "${props.resources.limits[over]}"`);
  }
  const mounts = props.volumeMounts ?? [];
  if (mounts.some((m) => m.name === TMP_VOLUME || m.mountPath === '/tmp')) {
    throw new InputError(`container "${props.name}": volume "${TMP_VOLUME}" and path /tmp are reserved`);
  }
  const quantities = (q: Resources['requests']) => ({ cpu: k8s.Quantity.fromString(q.cpu.text), memory: k8s.Quantity.fromString(q.memory.text) });
  return {
    name: props.name,
    image,
    imagePullPolicy: 'IfNotPresent',
    args: [...props.args],
    env: props.env === undefined || props.env.length === 0 ? undefined : [...props.env],
    ports: props.ports === undefined || props.ports.length === 0 ? undefined : [...props.ports],
    resources: { requests: quantities(props.resources.requests), limits: quantities(props.resources.limits) },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: RUNTIME_UID,
      runAsGroup: RUNTIME_UID,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [{ name: TMP_VOLUME, mountPath: '/tmp' }, ...mounts],
    readinessProbe: props.readinessProbe,
    livenessProbe: props.livenessProbe,
  };
}

/** A pod spec whose containers all follow the platform's security and resource policy. */
export function securePodSpec(props: SecurePodSpecProps): k8s.PodSpec {
  if (props.containers.length === 0) throw new InputError('securePodSpec: containers must not be empty');
  const volumes = props.volumes ?? [];
  if (volumes.some((v) => v.name === TMP_VOLUME)) throw new InputError(`securePodSpec: volume name "${TMP_VOLUME}" is reserved`);
  const image = imageRef(props.settings.image);
  return {
    serviceAccountName: props.serviceAccountName ?? 'default',
    automountServiceAccountToken: props.automountServiceAccountToken ?? false,
    restartPolicy: props.restartPolicy ?? 'Always',
    securityContext: {
      runAsNonRoot: true,
      runAsUser: RUNTIME_UID,
      runAsGroup: RUNTIME_UID,
      fsGroup: RUNTIME_UID,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: props.containers.map((c) => secureContainer(c, image)),
    volumes: [{ name: TMP_VOLUME, emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } }, ...volumes],
  };
}
