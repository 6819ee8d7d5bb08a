import * as path from 'node:path';
import { MysimbdpError, UsageError } from '../../infra/errors';
import { installKafkajsPatches } from './kafka/kafkajs-patches';
import { createLogger, errorFields } from './log';
import { TenantValidationError } from '../../infra/tenant/issues';

/** Every command lives in commands/<name>.ts and exports `run(argv): Promise<number>` (the exit code). */
export const COMMANDS = ['validate', 'synth', 'diff', 'deploy', 'provision', 'batch', 'sink', 'stream', 'api', 'monitor', 'stats', 'gen', 'dev'] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface CommandModule {
  run(argv: readonly string[]): Promise<number>;
}

const USAGE = `usage: mysimbdp <command> [options]          (flags beat environment variables, which beat defaults)

tenant files and manifests
  validate   [--tenants DIR] [--base GITREF] [--format text|json]
  synth      [--tenants DIR] [--stack NAME] --out DIR
  diff       --base GITREF [--tenants DIR] [--stack NAME]
  deploy     --stack NAME [--preview|--destroy] [--tenants DIR] [--backend URL] [--format text|json]

runtime
  provision  [--tenants DIR] [--client ID] [--replication-factor N] [--credentials-dir DIR] [--no-kafka]
  batch      [--client ID] [--dataset NAME] [--source DIR] [--tenants DIR]        env CLIENT_ID, SOURCE_PATH
  sink       --client ID [--dataset NAME] [--until-idle] [--concurrency N] [--batch-rows N] [--batch-partitions N] [--fetch-bytes N] [--metrics-port N]
  stream     [--client ID] [--dataset NAME] [--source DIR] [--monitor-url URL] [--metrics-port N] [--no-messages]
  api        [--port N] --tokens FILE [--operator-tokens FILE] [--decision-log FILE] [--tenants DIR] [--source DIR] [--keys DIR]
  monitor    [--port N] [--scale-target kubernetes|none] [--sink-scaler manager|keda] [--window S] [--cooldown S] [--decision-log FILE]
  stats      [--tenants DIR] [--client ID] [--format text|json]
  gen        --client ID --rows N --out FILE [--bad-ratio R] [--dataset NAME] [--seed S]
  dev        [--source DIR] [--tokens FILE] [--operator-tokens FILE] [--api-port N] [--monitor-port N] [--no-schedules] [--once] [--credentials-dir DIR]

engines: KAFKA_BROKERS, KAFKA_USERNAME, KAFKA_PASSWORD, CASSANDRA_CONTACT_POINTS, CASSANDRA_USERNAME, CASSANDRA_PASSWORD,
  else CREDENTIALS_FILE, else the local engines' .cache/engines/credentials/platform.json

exit codes: 0 ok, 1 failure (invalid input, a file not handled), 2 usage error`;

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  if (!(COMMANDS as readonly string[]).includes(name)) {
    process.stderr.write(`mysimbdp: unknown command "${name}"\n${USAGE}\n`);
    return 2;
  }
  // before any command loads kafkajs
  installKafkajsPatches();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: `batch` must not load cdk8s
    const mod = require(path.join(__dirname, 'commands', name)) as CommandModule;
    return await mod.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`mysimbdp ${name}: ${err.message}\n`);
      return 2;
    }
    if (err instanceof TenantValidationError) {
      process.stderr.write(`mysimbdp ${name}: ${err.message}\n`);
      return 1;
    }
    if (err instanceof MysimbdpError) {
      createLogger({ command: name }).error('command failed', errorFields(err));
      return 1;
    }
    throw err;
  }
}

/**
 * The process entry (bin/mysimbdp.cjs, dist/main.js): runs a command and ends the process with its
 * exit code — also when a failed dependency left a timer or socket behind, which would otherwise
 * keep a stopped worker alive and silent.
 */
export function runCli(argv: readonly string[]): void {
  const finish = (code: number): void => {
    process.exitCode = code;
    // armed once stdout and stderr are flushed (a pipe's reader may be slow): never cuts output off
    process.stdout.write('', () => process.stderr.write('', () => setTimeout(() => process.exit(code), 1000).unref()));
  };
  main(argv).then(finish, (err: unknown) => {
    process.stderr.write(`mysimbdp: ${err instanceof Error && err.stack !== undefined ? err.stack : String(err)}\n`);
    finish(70);
  });
}
