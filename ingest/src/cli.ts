import * as fs from 'node:fs';
import * as path from 'node:path';
import { MysimbdpError, UsageError } from '../../infra/errors';
import { COMMANDS, type CommandName } from './cli-commands';
import { commandHelp, usage } from './cli-help';
import { installKafkajsPatches } from './kafka/kafkajs-patches';
import { createLogger, errorFields, logLevelSetting, setLogLevel } from './log';
import { TenantValidationError } from '../../infra/tenant/issues';

/** Every command lives in commands/<name>.ts and exports `run(argv): Promise<number>` (the exit code). */
export interface CommandModule {
  run(argv: readonly string[]): Promise<number>;
}

/** The runtime package's version, from the nearest package.json named @mysimbdp/ingest (sources and dist/ sit at different depths). */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@mysimbdp/ingest' && pkg.version !== undefined) return pkg.version;
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json of @mysimbdp/ingest above ${from}`);
  }
}

const isHelp = (arg: string): boolean => arg === '--help' || arg === '-h';

export async function main(argv: readonly string[]): Promise<number> {
  // global flags, taken out before and after the command name
  const verbose = argv.includes('--verbose');
  const [name, ...rest] = argv.filter((arg) => arg !== '--verbose');
  try {
    setLogLevel(verbose ? 'debug' : logLevelSetting(process.env.LOG_LEVEL));
  } catch (err) {
    process.stderr.write(`mysimbdp: ${(err as Error).message}\n`);
    return 2;
  }
  // children (dev's workers) inherit the level
  if (verbose) process.env.LOG_LEVEL = 'debug';
  if (name === undefined || isHelp(name) || name === 'help') {
    const topic = rest[0];
    if (name === 'help' && topic !== undefined && (COMMANDS as readonly string[]).includes(topic)) {
      process.stdout.write(commandHelp(topic as CommandName));
      return 0;
    }
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  if (!(COMMANDS as readonly string[]).includes(name)) {
    process.stderr.write(`mysimbdp: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  if (rest.some(isHelp)) {
    process.stdout.write(commandHelp(name as CommandName));
    return 0;
  }
  // before any command loads kafkajs
  installKafkajsPatches();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: `batch` must not load cdk8s
    const mod = require(path.join(__dirname, 'commands', name)) as CommandModule;
    return await mod.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`mysimbdp ${name}: ${err.message}\nrun "mysimbdp ${name} --help"\n`);
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
