import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EngineCredentials } from '../../infra/credentials';
import { engineLayout } from '../../ingest/src/engines/engine-layout';
import { javaCommand } from '../../ingest/src/engines/java-runtime';
import { kafkaClientSaslProperties } from '../../ingest/src/engines/kafka-sasl';
import { kafkaToolArgs, type KafkaToolName } from '../../ingest/src/engines/kafka-tools';
import { readPlatformCredentials } from '../../ingest/src/engines/platform-credentials';

// Kafka's own console producer and consumer (`engines:kafka`'s tools): the independent client
// tests check topics with, as the platform or as a tenant. Debian's kcat links librdkafka 2.0,
// whose SCRAM Kafka 4 refuses (fixed in librdkafka 2.6.1), so it cannot log in to the local engine.

/** The platform's login, or the given principal's. */
function clientConfig(login: Pick<EngineCredentials, 'kafka'> | undefined): string {
  const credentials = login ?? readPlatformCredentials(engineLayout());
  if (credentials === undefined) throw new Error('no platform credentials: run npm run engines:up');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-console-'));
  const file = path.join(dir, 'client.properties');
  fs.writeFileSync(file, `${kafkaClientSaslProperties(credentials.kafka).join('\n')}\n`, { mode: 0o600 });
  return file;
}

async function runTool(tool: KafkaToolName, args: readonly string[], configFile: string, input?: string): Promise<{ stdout: string; stderr: string; code: number }> {
  const javaArgs = await kafkaToolArgs(engineLayout(), tool, args, configFile);
  return new Promise((resolve) => {
    const child = execFile(
      javaCommand(),
      javaArgs,
      { maxBuffer: 256 * 1024 * 1024, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ stdout, stderr, code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1 }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/**
 * Every message of `topic` from the beginning, one output line each (`properties` are the console
 * consumer's `--property` settings, e.g. `print.key=true`), as `login` (@default the platform) in
 * `group` (@default a group of its own); stops once no message came for 5 s.
 */
export async function consoleConsume(
  topic: string,
  properties: readonly string[] = [],
  login?: Pick<EngineCredentials, 'kafka'>,
  group?: string,
): Promise<string[]> {
  const config = clientConfig(login);
  const { stdout, stderr, code } = await runTool('console-consumer', [
    '--topic', topic, '--from-beginning', '--timeout-ms', '5000',
    ...properties.flatMap((p) => ['--property', p]),
    ...(group === undefined ? [] : ['--group', group]),
  ], config);
  fs.rmSync(path.dirname(config), { recursive: true, force: true });
  if (code !== 0) throw new Error(`console consumer exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  // It ends on its idle timeout with a TimeoutException; it exits 0 after any other error too, so
  // the exception it logged is the verdict.
  const failure = /^org\.apache\.kafka\.common\.errors\.(\w+): (.*)$/m.exec(stderr);
  if (failure !== null && failure[1] !== 'TimeoutException') throw new Error(`console consumer: ${failure[1]}: ${failure[2]}`);
  return stdout.split('\n').filter((line) => line !== '');
}

/** Produces each line as one message (no key). */
export async function consoleProduce(topic: string, lines: readonly string[], login?: Pick<EngineCredentials, 'kafka'>): Promise<void> {
  const config = clientConfig(login);
  const { stderr, code } = await runTool('console-producer', ['--topic', topic], config, `${lines.join('\n')}\n`);
  fs.rmSync(path.dirname(config), { recursive: true, force: true });
  if (code !== 0) throw new Error(`console producer exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
}
