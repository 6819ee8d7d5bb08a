// Summarises a V8 CPU profile (`node --cpu-prof`): self time per function and per source file, the
// figures docs/performance.md quotes. Usage: npx tsx test/bench/cpu-profile.ts FILE.cpuprofile [TOP]
import * as fs from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly byFunction: readonly { readonly name: string; readonly ms: number; readonly share: number }[];
  readonly byFile: readonly { readonly file: string; readonly ms: number; readonly share: number }[];
}

/** Self time per function (`name file:line`) and per file, largest first. */
export function summarise(profile: Profile, root = process.cwd()): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = url === '' ? '(native)' : path.relative(root, url.replace(/^file:\/\//, ''));
    const name = `${functionName === '' ? '(anonymous)' : functionName} ${where}${url === '' ? '' : `:${lineNumber + 1}`}`;
    fn.set(name, (fn.get(name) ?? 0) + us);
    file.set(where, (file.get(where) ?? 0) + us);
  }
  const rank = <K extends string>(m: Map<string, number>, key: K) =>
    [...m].sort((a, b) => b[1] - a[1]).map(([k, us]) => ({ [key]: k, ms: Math.round(us / 1000), share: Number((us / total).toFixed(3)) }) as Record<K, string> & { ms: number; share: number });
  return { totalMs: Math.round(total / 1000), byFunction: rank(fn, 'name'), byFile: rank(file, 'file') };
}

if (require.main === module) {
  const [file, top = '25'] = process.argv.slice(2);
  if (file === undefined) {
    process.stderr.write('usage: npx tsx test/bench/cpu-profile.ts FILE.cpuprofile [TOP]\n');
    process.exit(2);
  }
  const summary = summarise(JSON.parse(fs.readFileSync(file, 'utf8')) as Profile);
  const n = Number(top);
  process.stdout.write(`total ${summary.totalMs} ms sampled\n\nself time by function:\n`);
  for (const f of summary.byFunction.slice(0, n)) process.stdout.write(`  ${String(f.ms).padStart(6)} ms ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.name}\n`);
  process.stdout.write('\nself time by file:\n');
  for (const f of summary.byFile.slice(0, n)) process.stdout.write(`  ${String(f.ms).padStart(6)} ms ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.file}\n`);
}
