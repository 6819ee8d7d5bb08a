import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { stackSettingsFrom, type StackSettings } from '../stack/stack-settings';
import { synthesize, type KubeObject } from '../synth/synthesize';
import { loadTenantsOrThrow } from '../tenant/load-tenants';
import type { Tenant } from '../tenant/types';
import { OperatorsComponent } from './operators-component';
import { PlatformComponent } from './platform-component';
import { checkConnectPushSecret, stackSecretsFromConfig, type StackSecrets } from './stack-secrets';
import { TenantComponent } from './tenant-component';

export interface StackArgs {
  readonly settings: StackSettings;
  readonly tenants: readonly Tenant[];
  readonly secrets: StackSecrets;
}

export interface StackDeployment {
  readonly operators: OperatorsComponent;
  readonly platform: PlatformComponent;
  /** One component per tenant, keyed by client id. */
  readonly tenants: ReadonlyMap<string, TenantComponent>;
}

/**
 * Deploys exactly what `mysimbdp synth` writes for these settings and tenants: operators (Helm,
 * behind the stack flags), the platform, then one component per tenant — so a preview groups
 * every change under `platform` or the tenant it belongs to.
 */
export function deployStack(args: StackArgs): StackDeployment {
  const { settings, secrets } = args;
  checkConnectPushSecret(settings, secrets);
  const manifests = synthesize(args.tenants, settings);
  const operators = new OperatorsComponent('operators', { settings });
  const platform = new PlatformComponent('platform', { settings, objects: forPulumi(manifests.platform, settings), secrets, tenants: args.tenants, operators: operators.dependencies });
  const byClient = new Map(args.tenants.map((t) => [t.client, t]));
  const tenants = new Map<string, TenantComponent>();
  for (const [client, objects] of manifests.tenants) {
    const tenant = byClient.get(client) as Tenant;
    // Tenant KafkaTopics/KafkaUsers live in the platform namespace and need the Strimzi CRDs.
    tenants.set(client, new TenantComponent(client, { tenant, settings, objects: forPulumi(objects, settings), secrets }, { dependsOn: [platform, ...operators.dependencies] }));
  }
  return { operators, platform, tenants };
}

/** The objects as Pulumi should create them: with `pulumi.com/skipAwait` when the stack says so. */
export function forPulumi(objects: readonly KubeObject[], settings: StackSettings): KubeObject[] {
  if (!settings.skipAwait) return [...objects];
  return objects.map((o) => ({ ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, 'pulumi.com/skipAwait': 'true' } } }));
}

/** Stack settings from `mysimbdp:` config, validated like Pulumi.<stack>.yaml is for `synth`. */
export function settingsFromConfig(config: pulumi.Config, stack: string): StackSettings {
  return stackSettingsFrom(stack, (key) => config.get(key));
}

/** The repository's `tenants/`, wherever the program runs from (`pulumi up` runs it in infra/pulumi). */
export const DEFAULT_TENANTS_DIR = path.join(__dirname, '..', '..', 'tenants');

/**
 * The program `pulumi up` and `mysimbdp deploy` run: config, tenants from TENANTS_DIR (default the
 * repository's `tenants/`), secrets from stack config unless given (the `local` stack's).
 */
export function runFromConfig(env: NodeJS.ProcessEnv = process.env, secrets?: StackSecrets): StackDeployment {
  const config = new pulumi.Config('mysimbdp');
  const settings = settingsFromConfig(config, pulumi.getStack());
  const tenants = loadTenantsOrThrow(env.TENANTS_DIR ?? DEFAULT_TENANTS_DIR);
  return deployStack({ settings, tenants, secrets: secrets ?? stackSecretsFromConfig(config) });
}
