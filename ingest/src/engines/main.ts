import { parseFlags } from '../args';
import { MysimbdpError, UsageError } from '../../../infra/errors';
import { engineLayout } from './engine-layout';
import { liveLeases } from './engine-leases';
import { describeOutcome, describeStart, engineStatus, ensureConnect, ensureEngines, seconds, stopEngines, type EngineOutcome } from './engines';

export const USAGE = `usage: tsx ingest/src/engines/main.ts <command> [--cache-dir DIR]

  up [--connect]   start Kafka (127.0.0.1:9092) and Cassandra (127.0.0.1:9042), reusing running ones;
                   --connect also starts Kafka Connect (REST http://127.0.0.1:8083)
  connect          start Kafka Connect (and Kafka if needed)
  down [--force]   stop what up started and wait until its ports are closed; refuses while a
                   test run (vitest global setup) holds a lease on the engines, unless --force
  status           what answers, and which pids this tool started

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
        const what = { stopped: `stopped pid ${o.pid} in ${seconds(o.elapsedMs)}`, killed: `killed pid ${o.pid} (did not stop in time)`, 'not-running': 'not running', foreign: 'answers but was not started by engines:up — left running' }[o.state];
        process.stdout.write(`${o.name.padEnd(9)} ${what}\n`);
      }
      return 0;
    }
    case 'status': {
      const all = await engineStatus(cacheDir);
      for (const s of all) {
        const owner = s.pid === undefined ? (s.answer === undefined ? '' : ' (not started by engines:up)') : ` (pid ${s.pid})`;
        process.stdout.write(`${s.name.padEnd(9)} ${s.endpoint.padEnd(22)} ${s.answer === undefined ? 'down' : `up — ${s.answer}`}${owner}\n`);
      }
      return 0;
    }
    default:
      throw new UsageError(command === undefined ? 'missing command' : `unknown command "${command}"`);
  }
}

if (require.main === module) {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof UsageError) {
        process.stderr.write(`engines: ${err.message}\n${USAGE}\n`);
        process.exit(2);
      }
      process.stderr.write(`engines: ${err instanceof MysimbdpError ? err.message : String((err as Error).stack ?? err)}\n`);
      process.exit(1);
    },
  );
}
