import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { tenantLabels } from '../constructs/common/labels';
import { cassandraSecretName, kafkaPasswordSecretName, platformNamespace, tenantNamespace } from '../constructs/common/naming';
import type { StackSettings } from '../stack/stack-settings';
import type { KubeObject } from '../synth/synthesize';
import type { Tenant } from '../tenant/types';
import { deployObjects } from './kube-objects';
import { CASSANDRA_INGEST_USER, dockerConfigJson, encryptionKeyFiles, kafkaPassword, type StackSecrets } from './stack-secrets';

export interface TenantComponentArgs {
  readonly tenant: Tenant;
  readonly settings: StackSettings;
  /** The tenant's synthesized objects (`synthesize(...).tenants.get(client)`). */
  readonly objects: readonly KubeObject[];
  readonly secrets: StackSecrets;
}

/**
 * One tenant: every synthesized object of the tenant as its own resource, so `pulumi preview`
 * groups changes by tenant, plus the tenant's Secrets: the Kafka SCRAM password (platform
 * namespace for the KafkaUser, tenant namespace for the pods), Cassandra credentials, and the
 * encryption keys when the agreement asks for encryption (tenant namespace for its pods, platform
 * namespace for the upload API), and the registry push Secret of its Kafka Connect builds when
 * the agreement has connectors and the stack names that Secret and holds its credential.
 */
export class TenantComponent extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly resources: readonly pulumi.CustomResource[];

  constructor(name: string, args: TenantComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mysimbdp:tenant:Tenant', name, {}, opts);
    const { tenant, settings } = args;
    const namespace = tenantNamespace(settings, tenant);
    const objects = deployObjects(this, name, args.objects);
    const namespaceResource = objects.find((r) => r instanceof k8s.core.v1.Namespace);
    const inTenantNs: pulumi.CustomResourceOptions = { parent: this, dependsOn: namespaceResource === undefined ? [] : [namespaceResource] };
    const labels = tenantLabels(tenant, 'tenant');
    const password = kafkaPassword(args.secrets, tenant);
    const secret = (
      role: string,
      ns: string,
      secretName: string,
      stringData: pulumi.Input<Record<string, pulumi.Input<string>>>,
      o: pulumi.CustomResourceOptions,
      type = 'Opaque',
    ) => new k8s.core.v1.Secret(`${name}-${role}`, { metadata: { name: secretName, namespace: ns, labels }, type, stringData }, o);

    const secrets = [
      // The KafkaUser (platform namespace) reads its password here; the platform component already made that namespace.
      secret('kafka-password-platform', platformNamespace(settings), kafkaPasswordSecretName(tenant), { password }, { parent: this }),
      secret('kafka-password', namespace, kafkaPasswordSecretName(tenant), { password }, inTenantNs),
      secret('cassandra', namespace, cassandraSecretName(tenant), { username: CASSANDRA_INGEST_USER, password: pulumi.secret(args.secrets.cassandraPassword) }, inTenantNs),
    ];
    if (tenant.agreement.encryption) {
      // The tenant's pods decrypt; the upload API (platform namespace) encrypts uploads.
      const files = encryptionKeyFiles(args.secrets, tenant);
      secrets.push(
        secret('keys', namespace, `${tenant.dnsName}-keys`, files, inTenantNs),
        secret('keys-platform', platformNamespace(settings), `${tenant.dnsName}-keys`, files, { parent: this }),
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
