// `npm run bench [-- [--json] name...]`: runs each test/bench/<name>.bench.ts (all, or the named ones)
// one after another — never in parallel, so figures are not skewed by each other on two cores. With
// --json, a last block holds every figure the benches returned and the machine's load, so two runs
// can be compared.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installKafkajsPatches } from '../../ingest/src/kafka/kafkajs-patches';
import { exitWhenDone } from './exit-when-done';

// Benches that run producers and sinks in this process measure kafkajs as the CLI runs it: patched
// before anything loads it.
installKafkajsPatches();

interface BenchModule {
  bench(): Promise<Record<string, unknown> | void>;
}

const loadAverages = (): number[] => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const wanted = args.filter((a) => a !== '--json');
  const all = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts')).map((f) => f.slice(0, -'.bench.ts'.length)).sort();
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')} (have: ${all.join(', ')})\n`);
    return 2;
  }
  const summary: Record<string, unknown> = {};
  const machine = { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverageBefore: loadAverages() };
  for (const name of wanted.length > 0 ? wanted : all) {
    process.stdout.write(`\n## ${name}\n`);
    const started = Date.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const figures = await (require(path.join(__dirname, `${name}.bench.ts`)) as BenchModule).bench();
    const seconds = (Date.now() - started) / 1000;
    summary[name] = { seconds, loadAverageAfter: loadAverages()[0], ...(figures ?? {}) };
    process.stdout.write(`(${name}: ${seconds.toFixed(1)} s)\n`);
  }
  if (json) process.stdout.write(`\n## summary (json)\n${JSON.stringify({ at: new Date().toISOString(), machine: { ...machine, loadAverageAfter: loadAverages() }, benches: summary }, null, 2)}\n`);
  return 0;
}

exitWhenDone(main());
