import { createHmac } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import { InputError } from '../errors';
import type { StackSettings } from '../stack/stack-settings';
import type { Tenant } from '../tenant/types';

/**
 * Secret stack config (`pulumi config set --secret mysimbdp:<key>`, keys STACK_SECRET_KEYS). None of it is ever in a
 * synthesized manifest: the Pulumi program turns it into Secrets, wrapped in `pulumi.secret`.
 */
export interface StackSecrets {
  /** JSON `{ "<client>": "<sha256 hex of the bearer token>" }` for the upload API. */
  readonly apiTokens: pulumi.Input<string>;
  /** Password of the Cassandra role `mysimbdp_ingest` the runtime logs in with. */
  readonly cassandraPassword: pulumi.Input<string>;
  /** Seed each tenant's Kafka SCRAM password is derived from (rotate it to rotate all). */
  readonly kafkaPasswordSeed: pulumi.Input<string>;
  /** JSON `{ "<client>": { "current": "<keyId>", "keys": { "<keyId>": "<base64 of 32 bytes>" } } }`,
   * required for tenants whose agreement sets `encryption`. @default none */
  readonly encryptionKeys?: pulumi.Input<string>;
  /** Docker config JSON (`{ "auths": { "<registry>": { "auth": "<base64 user:password>" } } }`) the
   * Pulumi program turns into the Secret named by config `connectPushSecret`, in each tenant namespace
   * with connectors. @default none (that Secret, if named, is made out of band) */
  readonly connectRegistryAuth?: pulumi.Input<string>;
}

export const CASSANDRA_INGEST_USER = 'mysimbdp_ingest';

/** Reads the secrets from `mysimbdp:` config; apiTokens defaults to `{}` (no tenant may upload). */
export function stackSecretsFromConfig(config: pulumi.Config): StackSecrets {
  return {
    apiTokens: config.getSecret('apiTokens') ?? pulumi.secret('{}'),
    cassandraPassword: config.requireSecret('cassandraPassword'),
    kafkaPasswordSeed: config.requireSecret('kafkaPasswordSeed'),
    encryptionKeys: config.getSecret('encryptionKeys'),
    connectRegistryAuth: config.getSecret('connectRegistryAuth'),
  };
}

/**
 * Refuses a registry credential without a Secret name to store it under: the KafkaConnect builds
 * would not refer to it, so the credential would silently go unused.
 */
export function checkConnectPushSecret(settings: StackSettings, secrets: StackSecrets): void {
  if (secrets.connectRegistryAuth !== undefined && settings.connectPushSecret === undefined) {
    throw new InputError('stack secret mysimbdp:connectRegistryAuth is set but config mysimbdp:connectPushSecret is not: set the Secret name the Kafka Connect builds push with');
  }
}

/** `.dockerconfigjson` of the Connect push Secret, as a secret; fails (without the value) when it is not docker config JSON. */
export function dockerConfigJson(registryAuth: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.secret(pulumi.output(registryAuth).apply(checkDockerConfig));
}

/** The value itself when it is `{ "auths": { … } }`; the error never repeats the (secret) value. */
export function checkDockerConfig(json: string): string {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    // No cause: V8's JSON.parse message quotes the input.
    throw new InputError('stack secret mysimbdp:connectRegistryAuth is not JSON (expected docker config JSON { "auths": { … } })');
  }
  const auths = (doc as { auths?: unknown } | null)?.auths;
  if (typeof auths !== 'object' || auths === null || Array.isArray(auths)) {
    throw new InputError('stack secret mysimbdp:connectRegistryAuth must be docker config JSON with an "auths" object');
  }
  return json;
}

/** The tenant's SCRAM password: HMAC-SHA256(seed, client), stable across runs, distinct per tenant. */
export function kafkaPassword(secrets: StackSecrets, tenant: Tenant): pulumi.Output<string> {
  return pulumi.secret(pulumi.output(secrets.kafkaPasswordSeed).apply((seed) => createHmac('sha256', seed).update(tenant.client).digest('base64url')));
}

/** Key files of a tenant's key Secret: `<keyId>.key` (base64 key) and `current`. */
export function encryptionKeyFiles(secrets: StackSecrets, tenant: Tenant): pulumi.Output<Record<string, string>> {
  if (secrets.encryptionKeys === undefined) {
    throw new Error(`tenant "${tenant.client}" asks for encryption but stack secret mysimbdp:encryptionKeys is not set`);
  }
  return pulumi.secret(pulumi.output(secrets.encryptionKeys).apply((json) => keyFilesOf(json, tenant.client)));
}

/** The tenant's entry of the `encryptionKeys` JSON as Secret files; throws when it has none. */
export function keyFilesOf(json: string, client: string): Record<string, string> {
  const entry = (JSON.parse(json) as Record<string, { current?: unknown; keys?: Record<string, unknown> } | undefined>)[client];
  if (entry === undefined || typeof entry.current !== 'string' || typeof entry.keys !== 'object' || entry.keys === null) {
    throw new Error(`mysimbdp:encryptionKeys has no { current, keys } entry for tenant "${client}"`);
  }
  const files: Record<string, string> = { current: entry.current };
  for (const [id, key] of Object.entries(entry.keys)) files[`${id}.key`] = String(key);
  return files;
}
