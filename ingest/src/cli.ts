import * as path from 'node:path';
import { MysimbdpError, UsageError } from './errors';
import { createLogger, errorFields } from './log';
import { TenantValidationError } from '../../infra/tenant/issues';

/** Every command lives in commands/<name>.ts and exports `run(argv): Promise<number>` (the exit code). */
export const COMMANDS = ['validate', 'synth', 'diff', 'provision', 'batch', 'sink', 'stream', 'api', 'monitor', 'stats', 'gen', 'dev'] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface CommandModule {
  run(argv: readonly string[]): Promise<number>;
}

const USAGE = `usage: mysimbdp <command> [options]

commands:
  validate   [--tenants DIR] [--base GITREF] [--format text|json]   check tenant files
  synth      [--tenants DIR] [--stack NAME] --out DIR                write Kubernetes manifests
  diff       --base GITREF [--tenants DIR] [--stack NAME]            markdown diff per tenant
  provision  [--tenants DIR]                                         create keyspaces and tables
  batch      (env CLIENT_ID, SOURCE_PATH)                            ingest in/ once
  sink       --client ID [--until-idle]                              Kafka → Cassandra
  stream     (env CLIENT_ID, SOURCE_PATH)                            near-real-time ingestion
  api        [--port N] --tokens FILE                                upload API
  monitor    [--port N]                                              stream monitor
  stats      [--client ID] [--format json]                           ingestion figures
  gen        --client ID --rows N --out FILE [--bad-ratio R]         generate test data
  dev                                                                run the platform locally

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
