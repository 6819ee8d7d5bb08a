// Synth time for generated tenants: N tenant folders (the seed files under new client ids, the two
// seed datasets alternating) are written to a temp dir, then loaded and validated
// (loadTenantsOrThrow), synthesized (platform + every tenant chart) and written as YAML
// (writeManifests) — what `mysimbdp synth` does. Each tenant gets its own keyspace. Goal: 1,000 tenants in under 10 s.
// Knobs: BENCH_SYNTH_SIZES (default "10,100,1000"). Run alone: npx tsx test/bench/synth.bench.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { seed, writeTenants, type TenantFiles } from '../helpers/tenant-files';
import { testSettings } from '../infra/fixtures';
import { exitWhenDone } from './exit-when-done';

const GOAL_SECONDS_FOR_1000 = 10;

function generateTenants(count: number): string {
  const tenants: Record<string, TenantFiles> = {};
  for (let i = 0; i < count; i++) {
    const client = `bench_${String(i).padStart(5, '0')}`;
    const fromB = i % 2 === 1;
    const agreement = { ...(fromB ? seed.agreementB() : seed.agreementA()), client };
    const dataset = fromB ? seed.datasetB() : seed.datasetA();
    // Each tenant owns its keyspace (two tenants may not share a table).
    tenants[client] = { agreement, dataset: { ...dataset, key_space: `${String(dataset.key_space)}_${i}` } };
  }
  return writeTenants(tenants);
}

const seconds = (from: number): number => (performance.now() - from) / 1000;
/** CPU seconds (user + system) of this process since `from`: what the work costs when the machine is shared. */
const cpuSeconds = (from: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
};

export async function bench(): Promise<void> {
  const sizes = (process.env.BENCH_SYNTH_SIZES ?? '10,100,1000').split(',').map(Number);
  let t0 = performance.now();
  // Module loading (cdk8s, the imported CRD types, ajv schemas) is paid once per process.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { loadTenantsOrThrow } = require('../../infra/tenant/load-tenants') as typeof import('../../infra/tenant/load-tenants');
  const { synthesize, writeManifests } = require('../../infra/synth/synthesize') as typeof import('../../infra/synth/synthesize');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const settings = testSettings({ installPrometheus: 'true', installKeda: 'true' });
  process.stdout.write(`synth bench: modules loaded in ${seconds(t0).toFixed(2)} s (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs)\n`);
  process.stdout.write('tenants | load+validate s | synthesize s | write YAML s | total s (wall) | CPU s: load / synth / write / total | objects | ms/tenant (wall) | peak RSS MiB\n');

  for (const size of sizes) {
    const dir = generateTenants(size);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mysimbdp-bench-synth-'));
    try {
      const cpu0 = process.cpuUsage();
      t0 = performance.now();
      const tenants = loadTenantsOrThrow(dir);
      const load = seconds(t0);
      const loadCpu = cpuSeconds(cpu0);
      t0 = performance.now();
      const manifests = synthesize(tenants, settings);
      const synth = seconds(t0);
      const synthCpu = cpuSeconds(cpu0) - loadCpu;
      t0 = performance.now();
      writeManifests(manifests, out);
      const write = seconds(t0);
      const total = load + synth + write;
      const cpu = cpuSeconds(cpu0);
      const objects = manifests.platform.length + [...manifests.tenants.values()].reduce((n, o) => n + o.length, 0);
      const rss = process.memoryUsage().rss / 2 ** 20;
      process.stdout.write(
        `${size} | ${load.toFixed(2)} | ${synth.toFixed(2)} | ${write.toFixed(2)} | ${total.toFixed(2)} | ${loadCpu.toFixed(2)} / ${synthCpu.toFixed(2)} / ${(cpu - loadCpu - synthCpu).toFixed(2)} / ${cpu.toFixed(2)} | ${objects} | ${((total * 1000) / size).toFixed(1)} | ${rss.toFixed(0)}\n`,
      );
      if (size === 1000) {
        // On a shared machine wall time includes waiting for a CPU; CPU time is what the work costs.
        const verdict = (s: number): string => (s < GOAL_SECONDS_FOR_1000 ? 'met' : 'MISSED');
        process.stdout.write(`goal 1,000 tenants < ${GOAL_SECONDS_FOR_1000} s: wall ${total.toFixed(2)} s ${verdict(total)}, CPU ${cpu.toFixed(2)} s ${verdict(cpu)}\n`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(out, { recursive: true, force: true });
    }
  }
}

if (require.main === module) exitWhenDone(bench());
