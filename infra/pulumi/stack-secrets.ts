import { createHash, createHmac } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import { CASSANDRA_CONSOLE_ROLE, kafkaUserName, MONITOR_API_OPERATOR, platformEndpoints } from '../constructs/common/naming';
import { cassandraRoleName, type CassandraCredentials, type EngineCredentials } from '../credentials';
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
  /** JSON `{ "<operator>": "<sha256 hex of the bearer token>" }`: who may sign in to the console's operator view. @default `{}` (nobody) */
  readonly apiOperatorTokens?: pulumi.Input<string>;
  /** Password of the platform's Cassandra role (CASSANDRA_PLATFORM_ROLE), the superuser that provisions. */
  readonly cassandraPassword: pulumi.Input<string>;
  /** Seed each tenant's Kafka and Cassandra passwords and monitor token, the console role's password and the
   * upload API's token at the monitor are derived from (rotate it to rotate all). */
  readonly tenantPasswordSeed: pulumi.Input<string>;
  /** JSON `{ "<client>": { "current": "<keyId>", "keys": { "<keyId>": "<base64 of 32 bytes>" } } }`,
   * required for tenants whose agreement sets `encryption`. @default none */
  readonly encryptionKeys?: pulumi.Input<string>;
  /** Docker config JSON (`{ "auths": { "<registry>": { "auth": "<base64 user:password>" } } }`) the
   * Pulumi program turns into the Secret named by config `connectPushSecret`, in each tenant namespace
   * with connectors. @default none (that Secret, if named, is made out of band) */
  readonly connectRegistryAuth?: pulumi.Input<string>;
}

/** Reads the secrets from `mysimbdp:` config; apiTokens and apiOperatorTokens default to `{}` (no tenant may upload, no operator sign in). */
export function stackSecretsFromConfig(config: pulumi.Config): StackSecrets {
  return {
    apiTokens: config.getSecret('apiTokens') ?? pulumi.secret('{}'),
    apiOperatorTokens: config.getSecret('apiOperatorTokens') ?? pulumi.secret('{}'),
    cassandraPassword: config.requireSecret('cassandraPassword'),
    tenantPasswordSeed: config.requireSecret('tenantPasswordSeed'),
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

/** HMAC-SHA256(seed, message) as base64url: stable across runs, distinct per message, a secret. */
function derivedSecret(secrets: StackSecrets, message: string): pulumi.Output<string> {
  return pulumi.secret(pulumi.output(secrets.tenantPasswordSeed).apply((seed) => createHmac('sha256', seed).update(message).digest('base64url')));
}

/** The tenant's SCRAM password: HMAC-SHA256(seed, client). */
export function kafkaPassword(secrets: StackSecrets, tenant: Tenant): pulumi.Output<string> {
  return derivedSecret(secrets, tenant.client);
}

/** The password of the tenant's Cassandra role: HMAC-SHA256(seed, `cassandra:<client>`), never its Kafka one (a client id has no `:`). */
export function cassandraPassword(secrets: StackSecrets, tenant: Tenant): pulumi.Output<string> {
  return derivedSecret(secrets, `cassandra:${tenant.client}`);
}

/** The bearer token the tenant's stream instances report with: HMAC-SHA256(seed, `monitor:<client>`), none of its passwords. */
export function monitorToken(secrets: StackSecrets, tenant: Tenant): pulumi.Output<string> {
  return derivedSecret(secrets, `monitor:${tenant.client}`);
}

/** The console role's password: HMAC-SHA256(seed, `console:cassandra`); no tenant message starts so (a client id has no `:`). */
export function consoleCassandraPassword(secrets: StackSecrets): pulumi.Output<string> {
  return derivedSecret(secrets, 'console:cassandra');
}

/** The upload API's operator token at the monitor: HMAC-SHA256(seed, `console:monitor`). */
export function monitorOperatorToken(secrets: StackSecrets): pulumi.Output<string> {
  return derivedSecret(secrets, 'console:monitor');
}

/** The monitor's operator tokens file, a secret: `{ "upload_api": "<sha256 hex of the API's token>" }`. */
export function monitorOperatorTokensJson(secrets: StackSecrets): pulumi.Output<string> {
  return pulumi.secret(monitorOperatorToken(secrets).apply((token) => `${JSON.stringify({ [MONITOR_API_OPERATOR]: createHash('sha256').update(token, 'utf8').digest('hex') }, null, 2)}\n`));
}

/**
 * The console role's credentials file (`{ "cassandra": { … } }`, infra/credentials.ts), a secret:
 * the provision Jobs read it to create the role, at the in-cluster endpoints.
 */
export function consoleCredentialsJson(secrets: StackSecrets, settings: StackSettings): pulumi.Output<string> {
  const endpoints = platformEndpoints(settings);
  return pulumi.secret(
    consoleCassandraPassword(secrets).apply((password) => {
      const credentials: CassandraCredentials = {
        cassandra: { contact_points: endpoints.cassandraContactPoints, local_dc: settings.cassandraDatacenter, username: CASSANDRA_CONSOLE_ROLE, password },
      };
      return `${JSON.stringify(credentials, null, 2)}\n`;
    }),
  );
}

/**
 * The monitor's tokens file, a secret: JSON `{ "<client>": "<sha256 hex of its monitor token>" }`
 * for every tenant (the upload API's format), so the monitor never holds a token itself.
 */
export function monitorTokensJson(secrets: StackSecrets, tenants: readonly Tenant[]): pulumi.Output<string> {
  // Key order is part of the Secret's value: sorted, only a token change changes it.
  const sorted = [...tenants].sort((a, b) => (a.client < b.client ? -1 : 1));
  return pulumi.secret(
    pulumi.all(sorted.map((t) => monitorToken(secrets, t))).apply((tokens) => {
      const digests = Object.fromEntries(sorted.map((t, i) => [t.client, createHash('sha256').update(tokens[i] as string, 'utf8').digest('hex')]));
      return `${JSON.stringify(digests, null, 2)}\n`;
    }),
  );
}

/**
 * The tenant's credentials file (infra/credentials.ts) as JSON, a secret: its KafkaUser and its
 * Cassandra role at the in-cluster endpoints. The provision Job reads it to create that role.
 */
export function tenantCredentialsJson(secrets: StackSecrets, settings: StackSettings, tenant: Tenant): pulumi.Output<string> {
  const endpoints = platformEndpoints(settings);
  return pulumi.secret(
    pulumi.all([kafkaPassword(secrets, tenant), cassandraPassword(secrets, tenant)]).apply(([kafka, cassandra]) => {
      const credentials: EngineCredentials = {
        kafka: { bootstrap: endpoints.kafkaBootstrap, mechanism: 'scram-sha-512', username: kafkaUserName(tenant), password: kafka },
        cassandra: { contact_points: endpoints.cassandraContactPoints, local_dc: settings.cassandraDatacenter, username: cassandraRoleName(tenant), password: cassandra },
      };
      return `${JSON.stringify(credentials, null, 2)}\n`;
    }),
  );
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
