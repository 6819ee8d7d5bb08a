import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { platformLabels } from '../constructs/common/labels';
import { API_TOKENS_SECRET, CASSANDRA_PLATFORM_ROLE, CASSANDRA_PLATFORM_SECRET, platformNamespace } from '../constructs/common/naming';
import { TOKENS_KEY } from '../constructs/platform/upload-api';
import type { StackSettings } from '../stack/stack-settings';
import type { KubeObject } from '../synth/synthesize';
import { deployObjects } from './kube-objects';
import type { StackSecrets } from './stack-secrets';

export interface PlatformComponentArgs {
  readonly settings: StackSettings;
  /** The platform's synthesized objects (`synthesize(...).platform`). */
  readonly objects: readonly KubeObject[];
  readonly secrets: StackSecrets;
  /** Resources (operator releases) whose CRDs the objects need. @default [] */
  readonly operators?: readonly pulumi.Resource[];
}

/**
 * The platform: every synthesized platform object as its own resource, plus the Secrets no
 * manifest may hold (API token hashes, the password of the platform's Cassandra role, which
 * cass-operator creates as a superuser and only the provision Jobs log in with).
 */
export class PlatformComponent extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly resources: readonly pulumi.CustomResource[];

  constructor(name: string, args: PlatformComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mysimbdp:platform:Platform', name, {}, opts);
    const namespace = platformNamespace(args.settings);
    const objects = deployObjects(this, name, args.objects, args.operators ?? []);
    const namespaceResource = objects.find((r) => r instanceof k8s.core.v1.Namespace);
    const secretOpts: pulumi.CustomResourceOptions = { parent: this, dependsOn: namespaceResource === undefined ? [] : [namespaceResource] };
    const labels = platformLabels('api');

    const tokens = new k8s.core.v1.Secret(
      `${name}-api-tokens`,
      {
        metadata: { name: API_TOKENS_SECRET, namespace, labels },
        type: 'Opaque',
        stringData: { [TOKENS_KEY]: pulumi.secret(args.secrets.apiTokens) },
      },
      secretOpts,
    );
    const cassandra = new k8s.core.v1.Secret(
      `${name}-cassandra`,
      {
        metadata: { name: CASSANDRA_PLATFORM_SECRET, namespace, labels: platformLabels('cassandra') },
        type: 'Opaque',
        stringData: { username: CASSANDRA_PLATFORM_ROLE, password: pulumi.secret(args.secrets.cassandraPassword) },
      },
      secretOpts,
    );
    this.resources = [...objects, tokens, cassandra];
    this.namespace = pulumi.output(namespace);
    this.registerOutputs({ namespace: this.namespace, objects: objects.length });
  }
}
