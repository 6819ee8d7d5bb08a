import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type { KafkaAccess, KafkaAclOperation, KafkaAclResource } from '../../../infra/constructs/common/kafka-access';
import type { EngineCredentials } from '../../../infra/credentials';
import { EngineError } from '../../../infra/errors';
import { engineLayout } from './engine-layout';
import { javaCommand } from './java-runtime';
import { kafkaClientJvmArgs } from './kafka-tools';

// The local engine's stand-in for Strimzi's User Operator: the same KafkaAccess the KafkaUser is made
// from becomes a SCRAM user, its quotas and exactly its ACLs, through Kafka's own Admin client
// (kafkajs has no SCRAM or quota admin requests).

const TOOL = path.join('ingest', 'engines', 'kafka', 'KafkaAccessTool.java');

const RESOURCE: Readonly<Record<KafkaAclResource, string>> = { topic: 'TOPIC', group: 'GROUP', transactionalId: 'TRANSACTIONAL_ID' };
const OPERATION: Readonly<Record<KafkaAclOperation, string>> = { Read: 'READ', Write: 'WRITE', Describe: 'DESCRIBE', DescribeConfigs: 'DESCRIBE_CONFIGS' };

export interface KafkaUserOutcome {
  readonly user: string;
  /** ACL bindings (one per resource prefix and operation) the user has now. */
  readonly acls: number;
  readonly aclsCreated: number;
  readonly aclsDeleted: number;
}

/** Makes each user exist with its password, quotas and exactly its ACLs; idempotent. */
export async function applyKafkaUsers(
  users: readonly { readonly access: KafkaAccess; readonly password: string }[],
  platform: Pick<EngineCredentials, 'kafka'>,
  cacheDir?: string,
): Promise<KafkaUserOutcome[]> {
  if (users.length === 0) return [];
  const layout = engineLayout(cacheDir);
  const input = JSON.stringify({
    bootstrap: platform.kafka.bootstrap,
    admin: { username: platform.kafka.username, password: platform.kafka.password },
    users: users.map(({ access, password }) => ({
      name: access.user,
      password,
      acls: access.acls.map((a) => ({ resource: RESOURCE[a.resource], prefix: a.prefix, operations: a.operations.map((o) => OPERATION[o]) })),
      quotas: { producer_byte_rate: access.quotas.producerByteRate, consumer_byte_rate: access.quotas.consumerByteRate },
    })),
  });
  const args = [...(await kafkaClientJvmArgs(layout)), path.join(layout.repoRoot, TOOL)];
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = execFile(javaCommand(), args, { maxBuffer: 8 * 1024 * 1024, timeout: 120_000 }, (err, out, errOut) => {
      if (err === null) return resolve(out);
      reject(new EngineError(`kafka users: ${TOOL} failed (exit ${String(err.code)}): ${errOut.split('\n').filter((l) => l.trim() !== '').slice(-8).join('\n')}`));
    });
    child.stdin?.end(input);
  });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{"user"'))
    .map((line) => {
      const o = JSON.parse(line) as { user: string; acls: number; acls_created: number; acls_deleted: number };
      return { user: o.user, acls: o.acls, aclsCreated: o.acls_created, aclsDeleted: o.acls_deleted };
    });
}
