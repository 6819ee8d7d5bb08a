import { parseFlags } from '../args';
import { describeOwner, describeStop, runAsMain } from './tool-cli';
import { UsageError } from '../../../infra/errors';
import { engineLayout } from './engine-layout';
import { liveLeases } from './engine-leases';
import { KAFKA_TOOLS, runKafkaTool } from './kafka-tools';
import { describeOutcome, describeStart, engineStatus, ensureConnect, ensureEngines, stopEngines, type EngineOutcome } from './engines';

export const USAGE = `usage: tsx ingest/src/engines/main.ts <command> [--cache-dir DIR]

  up [--connect]   start Kafka (127.0.0.1:9092) and Cassandra (127.0.0.1:9042), reusing running ones;
                   --connect also starts Kafka Connect (REST http://127.0.0.1:8083)
  connect          start Kafka Connect (and Kafka if needed)
  down [--force]   stop what up started and wait until its ports are closed; refuses while a
                   test run (vitest global setup) holds a lease on the engines, unless --force
  status           what answers, and which pids this tool started
  kafka TOOL [ARGS] Kafka's own tools as the platform (TOOL: console-consumer, console-producer,
                   topics, consumer-groups, acls, configs), e.g. \`kafka acls --list\`

cache folder: --cache-dir, else ENGINES_CACHE_DIR, else <repo>/.cache/engines`;

const progress = (line: string): void => void process.stderr.write(`engines: ${line}\n`);

function report(outcomes: readonly EngineOutcome[], elapsedMs: number): void {
  for (const o of outcomes) process.stdout.write(`${describeOutcome(o)}\n`);
  process.stdout.write(`${describeStart(outcomes, elapsedMs)}\n`);
}

export async function run(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === 'kafka') {
    const [tool, ...args] = rest;
    if (tool === undefined) throw new UsageError(`missing Kafka tool (one of ${Object.keys(KAFKA_TOOLS).join(', ')})`);
    return runKafkaTool(engineLayout(process.env.ENGINES_CACHE_DIR), tool, args);
  }
  const flags = parseFlags(rest, { 'cache-dir': { type: 'string' }, connect: { type: 'boolean' }, force: { type: 'boolean' } });
  const cacheDir = flags['cache-dir'];
  const started = Date.now();
  switch (command) {
    case 'up':
      report(await ensureEngines({ connect: flags.connect ?? false, cacheDir, progress }), Date.now() - started);
      return 0;
    case 'connect':
      report([await ensureConnect({ cacheDir, progress })], Date.now() - started);
      return 0;
    case 'down': {
      const users = liveLeases(engineLayout(cacheDir).runDir);
      if (users.length > 0 && !(flags.force ?? false)) {
        process.stderr.write(`engines: not stopping, test runs use the engines (pids ${users.join(', ')}); --force stops them anyway\n`);
        return 1;
      }
      for (const o of await stopEngines(undefined, cacheDir)) {
        const what = describeStop(o, 'engines:up');
        process.stdout.write(`${o.name.padEnd(9)} ${what}\n`);
      }
      return 0;
    }
    case 'status': {
      const all = await engineStatus(cacheDir);
      for (const s of all) {
        const owner = describeOwner(s.pid, s.answer, 'engines:up');
        process.stdout.write(`${s.name.padEnd(9)} ${s.endpoint.padEnd(22)} ${s.answer === undefined ? 'down' : `up — ${s.answer}`}${owner}\n`);
      }
      return 0;
    }
    default:
      throw new UsageError(command === undefined ? 'missing command' : `unknown command "${command}"`);
  }
}

if (require.main === module) runAsMain('engines', USAGE, run);
