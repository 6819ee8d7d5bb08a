import { Construct } from 'constructs';
import {
  CassandraDatacenter,
  CassandraDatacenterSpecResourcesLimits,
  CassandraDatacenterSpecResourcesRequests,
  CassandraDatacenterSpecServerType,
  CassandraDatacenterSpecStorageConfigCassandraDataVolumeClaimSpecResourcesRequests,
} from '../../imports/cassandra.datastax.com';
import { Quantity } from '../../tenant/rules/quantity';
import type { Resources } from '../../tenant/types';
import { CASSANDRA_PLATFORM_SECRET } from '../common/naming';
import { requireDnsLabel, requireInteger, requireNonEmpty, requireResources } from './platform-validation';

export interface CassandraClusterProps {
  /** Namespace of the datacenter (the platform namespace). */
  readonly namespace: string;
  /** Cassandra cluster name. @default "mysimbdp" */
  readonly clusterName?: string;
  /** Data center name; the runtime's CASSANDRA_LOCAL_DC. @default "dc1" */
  readonly datacenterName?: string;
  /** Cassandra nodes. */
  readonly size: number;
  /** Cassandra version (management-API image line 5.0.x). @default "5.0.5" */
  readonly serverVersion?: string;
  /** Storage class of the data volumes. @default undefined (cluster default class) */
  readonly storageClass?: string;
  /** Data volume size per node. @default "10Gi" */
  readonly storageSize?: Quantity;
  /** Resources of each Cassandra node. @default requests 1/2Gi, limits 2/4Gi */
  readonly resources?: Resources;
  /** Secret (keys `username`, `password`) of the platform's role, which provisions tenants;
   * cass-operator creates the role. @default CASSANDRA_PLATFORM_SECRET ("mysimbdp-cassandra-platform") */
  readonly platformRoleSecret?: string;
  /** Labels added to the datacenter and, through cass-operator, its pods. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Container port name of the management API's Prometheus endpoint on every Cassandra pod. */
export const CASSANDRA_METRICS_PORT_NAME = 'metrics';

const DEFAULT_STORAGE_SIZE = Quantity.memory('10Gi');

const DEFAULT_CASSANDRA_RESOURCES: Resources = {
  requests: { cpu: Quantity.cpu('1'), memory: Quantity.memory('2Gi') },
  limits: { cpu: Quantity.cpu('2'), memory: Quantity.memory('4Gi') },
};

/**
 * The platform's Cassandra (mysimbdp-coredms): one cass-operator `CassandraDatacenter`.
 * cass-operator names the client Service `<cluster>-<dc>-service` (platformEndpoints in
 * common/naming.ts turns it into the runtime's CASSANDRA_CONTACT_POINTS).
 */
export class CassandraCluster extends Construct {
  readonly clusterName: string;
  readonly datacenterName: string;
  readonly platformRoleSecret: string;

  constructor(scope: Construct, id: string, props: CassandraClusterProps) {
    super(scope, id);
    const clusterName = props.clusterName ?? 'mysimbdp';
    const datacenterName = props.datacenterName ?? 'dc1';
    const serverVersion = props.serverVersion ?? '5.0.5';
    const storageSize = props.storageSize ?? DEFAULT_STORAGE_SIZE;
    const resources = props.resources ?? DEFAULT_CASSANDRA_RESOURCES;
    const platformRoleSecret = props.platformRoleSecret ?? CASSANDRA_PLATFORM_SECRET;
    requireDnsLabel('CassandraCluster', 'namespace', props.namespace);
    requireDnsLabel('CassandraCluster', 'clusterName', clusterName);
    requireDnsLabel('CassandraCluster', 'datacenterName', datacenterName);
    requireInteger('CassandraCluster', 'size', props.size, 1);
    if (!/^5\.0\.\d+$/.test(serverVersion)) {
      throw new Error(`CassandraCluster: serverVersion must be a Cassandra 5.0.x version, got ${JSON.stringify(serverVersion)}`);
    }
    requireResources('CassandraCluster', 'resources', resources);
    requireNonEmpty('CassandraCluster', 'platformRoleSecret', platformRoleSecret);

    this.clusterName = clusterName;
    this.datacenterName = datacenterName;
    this.platformRoleSecret = platformRoleSecret;
    const labels = { ...(props.labels ?? {}) };

    new CassandraDatacenter(this, 'datacenter', {
      metadata: { name: datacenterName, namespace: props.namespace, labels },
      spec: {
        clusterName,
        serverType: CassandraDatacenterSpecServerType.CASSANDRA,
        serverVersion,
        size: props.size,
        storageConfig: {
          cassandraDataVolumeClaimSpec: {
            accessModes: ['ReadWriteOnce'],
            ...(props.storageClass === undefined ? {} : { storageClassName: props.storageClass }),
            resources: { requests: { storage: CassandraDatacenterSpecStorageConfigCassandraDataVolumeClaimSpecResourcesRequests.fromString(storageSize.text) } },
          },
        },
        resources: {
          requests: {
            cpu: CassandraDatacenterSpecResourcesRequests.fromString(resources.requests.cpu.text),
            memory: CassandraDatacenterSpecResourcesRequests.fromString(resources.requests.memory.text),
          },
          limits: {
            cpu: CassandraDatacenterSpecResourcesLimits.fromString(resources.limits.cpu.text),
            memory: CassandraDatacenterSpecResourcesLimits.fromString(resources.limits.memory.text),
          },
        },
        // The platform role creates keyspaces, tables and the tenants' own roles (`provision`), hence
        // superuser; tenant pods log in as their tenant's role (infra/credentials.ts).
        users: [{ secretName: platformRoleSecret, superuser: true }],
        additionalLabels: labels,
        readOnlyRootFilesystem: true,
      },
    });
  }
}
