import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { tenantLabels } from '../constructs/common/labels';
import {
  cassandraSecretName,
  credentialsSecretName,
  encryptionKeysSecretName,
  kafkaPasswordSecretName,
  monitorTokenSecretName,
  platformNamespace,
  provisionJobName,
  tenantNamespace,
} from '../constructs/common/naming';
import { CREDENTIALS_DIGEST_ANNOTATION } from '../constructs/tenant/provision-job';
import { cassandraRoleName, credentialsFileName } from '../credentials';
import type { StackSettings } from '../stack/stack-settings';
import type { KubeObject } from '../synth/synthesize';
import type { Tenant } from '../tenant/types';
import { deployObjects, withTemplateDigest } from './kube-objects';
import { cassandraPassword, consoleCredentialsJson, dockerConfigJson, encryptionKeyFiles, kafkaPassword, monitorToken, tenantCredentialsJson, type StackSecrets } from './stack-secrets';

export interface TenantComponentArgs {
  readonly tenant: Tenant;
  readonly settings: StackSettings;
  /** The tenant's synthesized objects (`synthesize(...).tenants.get(client)`). */
  readonly objects: readonly KubeObject[];
  readonly secrets: StackSecrets;
}

/**
 * One tenant: every synthesized object of the tenant as its own resource, so `pulumi preview`
 * groups changes by tenant, plus the tenant's Secrets, each holding only this tenant's credentials:
 * - platform namespace: the Kafka SCRAM password (read by the KafkaUser) and the tenant's credentials
 *   file (read by its provision Job, which creates the tenant's Cassandra role with that password);
 * - tenant namespace: the Kafka password and the tenant's own Cassandra role, for its pods, and the
 *   token its stream instances report to the monitor with (the monitor holds only its SHA-256);
 * - the encryption keys when the agreement asks for encryption (tenant namespace for its pods,
 *   platform namespace for the upload API), and the registry push Secret of its Kafka Connect builds
 *   when the agreement has connectors and the stack names that Secret and holds its credential.
 * The platform's own Cassandra credentials never leave the platform namespace.
 */
export class TenantComponent extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly resources: readonly pulumi.CustomResource[];

  constructor(name: string, args: TenantComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mysimbdp:tenant:Tenant', name, {}, opts);
    const { tenant, settings } = args;
    const namespace = tenantNamespace(settings, tenant);
    const platform = platformNamespace(settings);
    const labels = tenantLabels(tenant, 'tenant');
    const secret = (
      role: string,
      ns: string,
      secretName: string,
      stringData: pulumi.Input<Record<string, pulumi.Input<string>>>,
      o: pulumi.CustomResourceOptions,
      type = 'Opaque',
    ) => new k8s.core.v1.Secret(`${name}-${role}`, { metadata: { name: secretName, namespace: ns, labels }, type, stringData }, o);

    const kafka = kafkaPassword(args.secrets, tenant);
    const credentials = tenantCredentialsJson(args.secrets, settings, tenant);
    // The KafkaUser and the provision Job (both in the platform namespace, which the platform
    // component already made) read these, so the tenant's objects come after them.
    const platformSecrets = [
      secret('kafka-password-platform', platform, kafkaPasswordSecretName(tenant), { password: kafka }, { parent: this }),
      secret('credentials', platform, credentialsSecretName(tenant), { [credentialsFileName(tenant.client)]: credentials }, { parent: this }),
    ];
    // A new password (a rotated seed) replaces the provision Job, which sets it on the tenant's and the console's Cassandra roles.
    const isProvisionJob = (o: KubeObject) => o.kind === 'Job' && o.metadata.name === provisionJobName(tenant) && o.metadata.namespace === platform;
    const provisionCredentials = pulumi.concat(credentials, consoleCredentialsJson(args.secrets, settings));
    const withDigest = args.objects.map((o) => (isProvisionJob(o) ? withTemplateDigest(o, CREDENTIALS_DIGEST_ANNOTATION, provisionCredentials) : o));
    const objects = deployObjects(this, name, withDigest, platformSecrets);
    const namespaceResource = objects.find((r) => r instanceof k8s.core.v1.Namespace);
    const inTenantNs: pulumi.CustomResourceOptions = { parent: this, dependsOn: namespaceResource === undefined ? [] : [namespaceResource] };

    const secrets = [
      ...platformSecrets,
      secret('kafka-password', namespace, kafkaPasswordSecretName(tenant), { password: kafka }, inTenantNs),
      secret('cassandra', namespace, cassandraSecretName(tenant), { username: cassandraRoleName(tenant), password: cassandraPassword(args.secrets, tenant) }, inTenantNs),
      secret('monitor-token', namespace, monitorTokenSecretName(tenant), { token: monitorToken(args.secrets, tenant) }, inTenantNs),
    ];
    if (tenant.agreement.encryption) {
      // The tenant's pods decrypt; the upload API (platform namespace) encrypts uploads.
      const files = encryptionKeyFiles(args.secrets, tenant);
      secrets.push(
        secret('keys', namespace, encryptionKeysSecretName(tenant), files, inTenantNs),
        secret('keys-platform', platform, encryptionKeysSecretName(tenant), files, { parent: this }),
      );
    }
    const { connectPushSecret } = settings;
    const { connectRegistryAuth } = args.secrets;
    if (tenant.agreement.connectors.length > 0 && connectPushSecret !== undefined && connectRegistryAuth !== undefined) {
      // Strimzi's build pushes the tenant's Connect image with it (KafkaConnect spec.build.output.pushSecret).
      const dockerConfig = { '.dockerconfigjson': dockerConfigJson(connectRegistryAuth) };
      secrets.push(secret('connect-push', namespace, connectPushSecret, dockerConfig, inTenantNs, 'kubernetes.io/dockerconfigjson'));
    }
    this.resources = [...objects, ...secrets];
    this.namespace = pulumi.output(namespace);
    this.registerOutputs({ namespace: this.namespace, objects: objects.length });
  }
}
