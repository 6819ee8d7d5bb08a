import { Construct } from 'constructs';
import type { StackSettings } from '../../stack/stack-settings';
import { Quantity } from '../../tenant/rules/quantity';
import type { Resources, Tenant } from '../../tenant/types';
import type { k8s } from 'cdk8s-plus-27';
import {
  API_TOKENS_SECRET,
  CASSANDRA_CONSOLE_SECRET,
  encryptionKeysSecretName,
  MONITOR_OPERATOR_SECRET,
  platformEndpoints,
  PLATFORM_PORTS,
  STAGING_CLAIM,
  STAGING_MOUNT,
  TENANTS_MOUNT,
} from '../common/naming';
import { KEYS_MOUNT, secretEnv } from '../tenant/runtime-pod';
import { requireDnsLabel } from './platform-validation';
import { RuntimeService } from './runtime-service';
import { tenantFilesVolume } from './tenant-files-volume';

export interface UploadApiProps {
  readonly settings: StackSettings;
  readonly namespace: string;
  /** Tenants whose files the API serves and enforces (`max_file_size_mb`). */
  readonly tenants: readonly Tenant[];
  /** Deployment and Service name. @default "mysimbdp-api" */
  readonly name?: string;
  /** @default settings.replicas.api */
  readonly replicas?: number;
  /** @default requests 100m/128Mi, limits 500m/512Mi */
  readonly resources?: Resources;
  /** Secret with keys `tokens.json` (client id → SHA-256 hex of its bearer token) and
   * `operator-tokens.json` (the console's operators, same format); the Pulumi program creates it
   * from secret stack config values, so no token hash is in a manifest.
   * @default "mysimbdp-api-tokens" */
  readonly tokensSecret?: string;
  /** Claim of the staging share root in `namespace`. @default STAGING_CLAIM ("staging") */
  readonly stagingClaim?: string;
}

export const TOKENS_MOUNT = '/etc/mysimbdp/tokens';
export const TOKENS_KEY = 'tokens.json';
/** Key of the operator tokens file in the API's tokens Secret and in MONITOR_OPERATOR_SECRET. */
export const OPERATOR_TOKENS_KEY = 'operator-tokens.json';
/** Key of the API's raw operator token at the monitor in MONITOR_OPERATOR_SECRET. */
export const MONITOR_TOKEN_KEY = 'token';
/** Where the API mounts its operator token at the monitor. */
export const MONITOR_TOKEN_MOUNT = '/etc/mysimbdp/monitor-token';
/** Pod template annotation the Pulumi program sets to a digest of the Secrets the API reads at start
 * (tokens, operator tokens, its token at the monitor, the console role's login), so a change rolls it. */
export const API_SECRETS_DIGEST_ANNOTATION = 'mysimbdp.io/api-secrets';

const DEFAULT_API_RESOURCES: Resources = { requests: { cpu: Quantity.cpu('100m'), memory: Quantity.memory('128Mi') }, limits: { cpu: Quantity.cpu('500m'), memory: Quantity.memory('512Mi') } };

/**
 * The upload API (`mysimbdp api`): Deployment + Service on 8080. It mounts the staging share at its
 * root, so an upload for any tenant lands in `{SOURCE_PATH}/{client}/in`, every tenant's files
 * to check the tenant and its size limit, and — for tenants whose agreement sets `encryption` —
 * the tenant's key Secret `<dns-client>-keys` (a platform-namespace copy the Pulumi program makes)
 * at `/etc/mysimbdp/keys/<client>/`, so uploads are encrypted at rest from the first byte.
 * The console's figures come from the ingestion log, read as the console's Cassandra role
 * (`mysimbdp-cassandra-console`: SELECT on the ingestion-log tables only), and the operator view's
 * decisions from the monitor's Service, asked with the API's operator token there
 * (`mysimbdp-monitor-operator`, key `token`).
 */
export class UploadApi extends Construct {
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: UploadApiProps) {
    super(scope, id);
    const tokensSecret = props.tokensSecret ?? API_TOKENS_SECRET;
    const stagingClaim = props.stagingClaim ?? STAGING_CLAIM;
    requireDnsLabel('UploadApi', 'tokensSecret', tokensSecret);
    requireDnsLabel('UploadApi', 'stagingClaim', stagingClaim);
    const port = PLATFORM_PORTS.api;
    const endpoints = platformEndpoints(props.settings);
    const encrypting = [...props.tenants].filter((t) => t.agreement.encryption).sort((a, b) => (a.client < b.client ? -1 : 1));
    const keyVolumes: k8s.Volume[] = encrypting.map((t) => ({ name: `keys-${t.dnsName}`, secret: { secretName: encryptionKeysSecretName(t), defaultMode: 0o440 } }));
    const keyMounts: k8s.VolumeMount[] = encrypting.map((t) => ({ name: `keys-${t.dnsName}`, mountPath: `${KEYS_MOUNT}/${t.client}`, readOnly: true }));
    const service = new RuntimeService(this, 'service', {
      settings: props.settings,
      name: props.name ?? 'mysimbdp-api',
      namespace: props.namespace,
      component: 'api',
      args: ['api', '--port', String(port), '--tokens', `${TOKENS_MOUNT}/${TOKENS_KEY}`, '--operator-tokens', `${TOKENS_MOUNT}/${OPERATOR_TOKENS_KEY}`],
      port,
      replicas: props.replicas ?? props.settings.replicas.api,
      resources: props.resources ?? DEFAULT_API_RESOURCES,
      readinessPath: '/readyz',
      livenessPath: '/healthz',
      env: [
        { name: 'SOURCE_PATH', value: STAGING_MOUNT },
        { name: 'TENANTS_DIR', value: TENANTS_MOUNT },
        { name: 'ENCRYPTION_KEYS_DIR', value: KEYS_MOUNT },
        { name: 'CASSANDRA_CONTACT_POINTS', value: endpoints.cassandraContactPoints },
        { name: 'CASSANDRA_LOCAL_DC', value: props.settings.cassandraDatacenter },
        secretEnv('CASSANDRA_USERNAME', CASSANDRA_CONSOLE_SECRET, 'username'),
        secretEnv('CASSANDRA_PASSWORD', CASSANDRA_CONSOLE_SECRET, 'password'),
        { name: 'MONITOR_URL', value: endpoints.monitorServiceUrl },
        { name: 'MONITOR_OPERATOR_TOKEN_FILE', value: `${MONITOR_TOKEN_MOUNT}/${MONITOR_TOKEN_KEY}` },
      ],
      volumes: [
        {
          name: 'tokens',
          secret: { secretName: tokensSecret, items: [{ key: TOKENS_KEY, path: TOKENS_KEY }, { key: OPERATOR_TOKENS_KEY, path: OPERATOR_TOKENS_KEY }], defaultMode: 0o440 },
        },
        { name: 'monitor-token', secret: { secretName: MONITOR_OPERATOR_SECRET, items: [{ key: MONITOR_TOKEN_KEY, path: MONITOR_TOKEN_KEY }], defaultMode: 0o440 } },
        { name: 'staging', persistentVolumeClaim: { claimName: stagingClaim } },
        tenantFilesVolume('tenants', props.tenants),
        ...keyVolumes,
      ],
      volumeMounts: [
        { name: 'tokens', mountPath: TOKENS_MOUNT, readOnly: true },
        { name: 'monitor-token', mountPath: MONITOR_TOKEN_MOUNT, readOnly: true },
        { name: 'staging', mountPath: STAGING_MOUNT },
        { name: 'tenants', mountPath: TENANTS_MOUNT, readOnly: true },
        ...keyMounts,
      ],
    });
    this.serviceName = service.serviceName;
  }
}
