import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { platformLabels } from '../constructs/common/labels';
import {
  API_TOKENS_SECRET,
  CASSANDRA_CONSOLE_ROLE,
  CASSANDRA_CONSOLE_SECRET,
  CASSANDRA_PLATFORM_ROLE,
  CASSANDRA_PLATFORM_SECRET,
  MONITOR_OPERATOR_SECRET,
  MONITOR_TOKENS_SECRET,
  platformEndpoints,
  platformNamespace,
} from '../constructs/common/naming';
import { MONITOR_TOKENS_DIGEST_ANNOTATION } from '../constructs/platform/stream-monitor';
import { API_SECRETS_DIGEST_ANNOTATION, MONITOR_TOKEN_KEY, OPERATOR_TOKENS_KEY, TOKENS_KEY } from '../constructs/platform/upload-api';
import { credentialsFileName } from '../credentials';
import type { StackSettings } from '../stack/stack-settings';
import type { KubeObject } from '../synth/synthesize';
import type { Tenant } from '../tenant/types';
import { deployObjects, withTemplateDigest } from './kube-objects';
import { consoleCassandraPassword, consoleCredentialsJson, monitorOperatorToken, monitorOperatorTokensJson, monitorTokensJson, type StackSecrets } from './stack-secrets';

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
 * manifest may hold (API token and operator token hashes; the hashes of the tenants' monitor
 * tokens; the API's operator token at the monitor with its hash; the password of the platform's
 * Cassandra role, which cass-operator creates as a superuser and only the provision Jobs log in
 * with; the console role's login, which the provision Jobs create and the API reads with). The
 * monitor and the API read their Secrets at start, so each Deployment carries a digest of them
 * on its pod template and depends on them: a change rolls it once the new values are there.
 */
export class PlatformComponent extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly resources: readonly pulumi.CustomResource[];

  constructor(name: string, args: PlatformComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mysimbdp:platform:Platform', name, {}, opts);
    const namespace = platformNamespace(args.settings);
    const monitorTokens = monitorTokensJson(args.secrets, args.tenants);
    const monitorOperatorTokens = monitorOperatorTokensJson(args.secrets);
    const consoleCredentials = consoleCredentialsJson(args.secrets, args.settings);
    const apiOperatorTokens = pulumi.secret(args.secrets.apiOperatorTokens ?? '{}');
    const { monitorName, apiName } = platformEndpoints(args.settings);
    const isDeployment = (o: KubeObject, deployment: string) => o.kind === 'Deployment' && o.metadata.name === deployment && o.metadata.namespace === namespace;
    const isMonitor = (o: KubeObject) => isDeployment(o, monitorName);
    const isApi = (o: KubeObject) => isDeployment(o, apiName);
    const operators = args.operators ?? [];
    const rest = deployObjects(this, name, args.objects.filter((o) => !isMonitor(o) && !isApi(o)), operators);
    const namespaceResource = rest.find((r) => r instanceof k8s.core.v1.Namespace);
    const namespaceDeps = namespaceResource === undefined ? [] : [namespaceResource];
    const secretOpts: pulumi.CustomResourceOptions = { parent: this, dependsOn: namespaceDeps };
    const labels = platformLabels('api');

    const tokens = new k8s.core.v1.Secret(
      `${name}-api-tokens`,
      {
        metadata: { name: API_TOKENS_SECRET, namespace, labels },
        type: 'Opaque',
        stringData: { [TOKENS_KEY]: pulumi.secret(args.secrets.apiTokens), [OPERATOR_TOKENS_KEY]: apiOperatorTokens },
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
    const monitorOperator = new k8s.core.v1.Secret(
      `${name}-monitor-operator`,
      {
        metadata: { name: MONITOR_OPERATOR_SECRET, namespace, labels: platformLabels('monitor') },
        type: 'Opaque',
        stringData: { [MONITOR_TOKEN_KEY]: monitorOperatorToken(args.secrets), [OPERATOR_TOKENS_KEY]: monitorOperatorTokens },
      },
      secretOpts,
    );
    const consoleLogin = new k8s.core.v1.Secret(
      `${name}-cassandra-console`,
      {
        metadata: { name: CASSANDRA_CONSOLE_SECRET, namespace, labels },
        type: 'Opaque',
        stringData: { username: CASSANDRA_CONSOLE_ROLE, password: consoleCassandraPassword(args.secrets), [credentialsFileName(CASSANDRA_CONSOLE_ROLE)]: consoleCredentials },
      },
      secretOpts,
    );
    // Each reads its Secrets at start: it rolls (a new digest) only once the new files are there.
    const monitorObjects = args.objects
      .filter(isMonitor)
      .map((o) => withTemplateDigest(o, MONITOR_TOKENS_DIGEST_ANNOTATION, pulumi.concat(monitorTokens, monitorOperatorTokens)));
    const apiSecrets = pulumi.concat(pulumi.secret(args.secrets.apiTokens), apiOperatorTokens, monitorOperatorToken(args.secrets), consoleCredentials);
    const apiObjects = args.objects.filter(isApi).map((o) => withTemplateDigest(o, API_SECRETS_DIGEST_ANNOTATION, apiSecrets));
    const objects = [
      ...rest,
      ...deployObjects(this, name, monitorObjects, [...operators, ...namespaceDeps, monitor, monitorOperator]),
      ...deployObjects(this, name, apiObjects, [...operators, ...namespaceDeps, tokens, monitorOperator, consoleLogin]),
    ];
    this.resources = [...objects, tokens, monitor, monitorOperator, cassandra, consoleLogin];
    this.namespace = pulumi.output(namespace);
    this.registerOutputs({ namespace: this.namespace, objects: objects.length });
  }
}
