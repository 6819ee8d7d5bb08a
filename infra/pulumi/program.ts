import * as pulumi from '@pulumi/pulumi';
import { stackSettingsFrom, type StackSettings } from '../stack/stack-settings';
import { synthesize } from '../synth/synthesize';
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
  const platform = new PlatformComponent('platform', { settings, objects: manifests.platform, secrets, operators: operators.releases });
  const byClient = new Map(args.tenants.map((t) => [t.client, t]));
  const tenants = new Map<string, TenantComponent>();
  for (const [client, objects] of manifests.tenants) {
    const tenant = byClient.get(client) as Tenant;
    // Tenant KafkaTopics/KafkaUsers live in the platform namespace and need the Strimzi CRDs.
    tenants.set(client, new TenantComponent(client, { tenant, settings, objects, secrets }, { dependsOn: [platform, ...operators.releases] }));
  }
  return { operators, platform, tenants };
}

/** Stack settings from `mysimbdp:` config, validated like Pulumi.<stack>.yaml is for `synth`. */
export function settingsFromConfig(config: pulumi.Config, stack: string): StackSettings {
  return stackSettingsFrom(stack, (key) => config.get(key));
}

/** The program `pulumi up` runs (infra/pulumi/index.ts): config, tenants from TENANTS_DIR (default `tenants`). */
export function runFromConfig(env: NodeJS.ProcessEnv = process.env): StackDeployment {
  const config = new pulumi.Config('mysimbdp');
  const settings = settingsFromConfig(config, pulumi.getStack());
  const tenants = loadTenantsOrThrow(env.TENANTS_DIR ?? 'tenants');
  return deployStack({ settings, tenants, secrets: stackSecretsFromConfig(config) });
}
