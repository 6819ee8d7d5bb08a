// `npm run bench [-- name...]`: runs each test/bench/<name>.bench.ts (all, or the named ones) one
// after another — never in parallel, so figures are not skewed by each other on two cores.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exitWhenDone } from './exit-when-done';

interface BenchModule {
  bench(): Promise<void>;
}

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const all = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts')).map((f) => f.slice(0, -'.bench.ts'.length)).sort();
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')} (have: ${all.join(', ')})\n`);
    return 2;
  }
  for (const name of wanted.length > 0 ? wanted : all) {
    process.stdout.write(`\n## ${name}\n`);
    const started = Date.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await (require(path.join(__dirname, `${name}.bench.ts`)) as BenchModule).bench();
    process.stdout.write(`(${name}: ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  }
  return 0;
}

exitWhenDone(main());
