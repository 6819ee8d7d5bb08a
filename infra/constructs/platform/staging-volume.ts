import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import type { Quantity } from '../../tenant/rules/quantity';
import { requireDnsLabel, requireNonEmpty } from './platform-validation';

export interface StagingVolumeProps {
  /** Cluster-scoped PersistentVolume name. */
  readonly volumeName: string;
  /** Namespace of the claim. */
  readonly namespace: string;
  /** @default "staging" */
  readonly claimName?: string;
  /** NFS server of the staging share. */
  readonly server: string;
  /** Absolute directory on the share this volume exposes. */
  readonly path: string;
  /** Class written on PV and PVC; the claim names its PV, so no provisioner acts. @default "" */
  readonly storageClass?: string;
  /** Capacity written on the PV and PVC (NFS does not enforce it). */
  readonly size: Quantity;
  /** @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A static NFS PersistentVolume and the claim bound to it (ReadWriteMany). A PVC cannot be shared
 * across namespaces, so each namespace that mounts staging gets its own PV on the same share:
 * the platform's at the share root (the upload API writes every tenant's `in/`), each tenant's at
 * `<share>/<client>`. The PV names its claim (`claimRef`) and the claim names its PV (`volumeName`),
 * so no other claim can bind it, and `Retain` keeps tenant data when a claim is deleted.
 */
export class StagingVolume extends Construct {
  readonly claimName: string;

  constructor(scope: Construct, id: string, props: StagingVolumeProps) {
    super(scope, id);
    const claimName = props.claimName ?? 'staging';
    requireDnsLabel('StagingVolume', 'volumeName', props.volumeName);
    requireDnsLabel('StagingVolume', 'namespace', props.namespace);
    requireDnsLabel('StagingVolume', 'claimName', claimName);
    requireNonEmpty('StagingVolume', 'server', props.server);
    if (!props.path.startsWith('/')) throw new Error(`StagingVolume: path must be absolute, got ${JSON.stringify(props.path)}`);
    this.claimName = claimName;
    const labels = { ...(props.labels ?? {}) };
    const storage = k8s.Quantity.fromString(props.size.text);
    const storageClassName = props.storageClass ?? '';

    new k8s.KubePersistentVolume(this, 'volume', {
      metadata: { name: props.volumeName, labels },
      spec: {
        capacity: { storage },
        accessModes: ['ReadWriteMany'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName,
        nfs: { server: props.server, path: props.path },
        claimRef: { namespace: props.namespace, name: claimName },
        mountOptions: ['nfsvers=4.1', 'hard'],
      },
    });
    new k8s.KubePersistentVolumeClaim(this, 'claim', {
      metadata: { name: claimName, namespace: props.namespace, labels },
      spec: {
        accessModes: ['ReadWriteMany'],
        storageClassName,
        volumeName: props.volumeName,
        resources: { requests: { storage } },
      },
    });
  }
}
