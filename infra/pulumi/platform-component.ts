import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { platformLabels } from '../constructs/common/labels';
import { API_TOKENS_SECRET, CASSANDRA_PLATFORM_ROLE, CASSANDRA_PLATFORM_SECRET, MONITOR_TOKENS_SECRET, platformEndpoints, platformNamespace } from '../constructs/common/naming';
import { MONITOR_TOKENS_DIGEST_ANNOTATION } from '../constructs/platform/stream-monitor';
import { TOKENS_KEY } from '../constructs/platform/upload-api';
import type { StackSettings } from '../stack/stack-settings';
import type { KubeObject } from '../synth/synthesize';
import type { Tenant } from '../tenant/types';
import { deployObjects, withTemplateDigest } from './kube-objects';
import { monitorTokensJson, type StackSecrets } from './stack-secrets';

export interface PlatformComponentArgs {
  readonly settings: StackSettings;
  /** The platform's synthesized objects (`synthesize(...).platform`). */
  readonly objects: readonly KubeObject[];
  readonly secrets: StackSecrets;
  /** Every tenant of the stack: the monitor takes reports from these, each with its own token. */
  readonly tenants: readonly Tenant[];
  /** Resources (operator releases) whose CRDs the objects need. @default [] */
  readonly operators?: readonly pulumi.Resource[];
}

/**
 * The platform: every synthesized platform object as its own resource, plus the Secrets no
 * manifest may hold (API token hashes, the hashes of the tenants' monitor tokens, the password of
 * the platform's Cassandra role, which cass-operator creates as a superuser and only the provision
 * Jobs log in with).
 */
export class PlatformComponent extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly resources: readonly pulumi.CustomResource[];

  constructor(name: string, args: PlatformComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mysimbdp:platform:Platform', name, {}, opts);
    const namespace = platformNamespace(args.settings);
    const monitorTokens = monitorTokensJson(args.secrets, args.tenants);
    const { monitorName } = platformEndpoints(args.settings);
    const isMonitor = (o: KubeObject) => o.kind === 'Deployment' && o.metadata.name === monitorName && o.metadata.namespace === namespace;
    const operators = args.operators ?? [];
    const rest = deployObjects(this, name, args.objects.filter((o) => !isMonitor(o)), operators);
    const namespaceResource = rest.find((r) => r instanceof k8s.core.v1.Namespace);
    const namespaceDeps = namespaceResource === undefined ? [] : [namespaceResource];
    const secretOpts: pulumi.CustomResourceOptions = { parent: this, dependsOn: namespaceDeps };
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
    const monitor = new k8s.core.v1.Secret(
      `${name}-monitor-tokens`,
      {
        metadata: { name: MONITOR_TOKENS_SECRET, namespace, labels: platformLabels('monitor') },
        type: 'Opaque',
        stringData: { [TOKENS_KEY]: monitorTokens },
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
    // The monitor reads its tokens file at start: it rolls (a new digest) only once the new file is there.
    const monitorObjects = args.objects.filter(isMonitor).map((o) => withTemplateDigest(o, MONITOR_TOKENS_DIGEST_ANNOTATION, monitorTokens));
    const objects = [...rest, ...deployObjects(this, name, monitorObjects, [...operators, ...namespaceDeps, monitor])];
    this.resources = [...objects, tokens, monitor, cassandra];
    this.namespace = pulumi.output(namespace);
    this.registerOutputs({ namespace: this.namespace, objects: objects.length });
  }
}
