import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../ingest/src/log';
import { ProcessPool } from '../../../ingest/src/manager/process-pool';
import { clientA, tenantOf } from '../helpers/datasets';

const tenant = tenantOf('client_a', [clientA()]);
const dataset = tenant.datasets[0]!;
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
let pool: ProcessPool;
afterEach(async () => {
  await pool.close();
});

describe('ProcessPool', () => {
  it('grows and shrinks a pool of processes, stopping the newest with SIGTERM', async () => {
    const script = "process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000);";
    pool = new ProcessPool({ spec: () => ({ command: process.execPath, args: ['-e', script], env: {} }), logger: createLogger({}, { write: () => undefined }), stdio: 'ignore' });
    await pool.scale(tenant, dataset, 3);
    expect(await pool.replicas(tenant, dataset)).toBe(3);
    const pids = pool.pids()['client_a/speed-tracking-data']!;
    expect(pids.every(alive)).toBe(true);
    await pool.scale(tenant, dataset, 1);
    expect(pool.pids()['client_a/speed-tracking-data']).toEqual([pids[0]]);
    expect(alive(pids[1]!) || alive(pids[2]!)).toBe(false);
    await pool.close();
    expect(alive(pids[0]!)).toBe(false);
  });

  it('kills an instance that ignores SIGTERM after the timeout', async () => {
    const script = "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);";
    pool = new ProcessPool({ spec: () => ({ command: process.execPath, args: ['-e', script], env: {} }), logger: createLogger({}, { write: () => undefined }), stdio: 'ignore', stopTimeoutMs: 300 });
    await pool.scale(tenant, dataset, 1);
    const [pid] = pool.pids()['client_a/speed-tracking-data']!;
    await new Promise((r) => setTimeout(r, 300));
    await pool.scale(tenant, dataset, 0);
    expect(alive(pid!)).toBe(false);
  });

  it('replaces an instance that dies, backing off while it keeps dying', async () => {
    let spawned = 0;
    const lines: string[] = [];
    pool = new ProcessPool({
      spec: () => {
        spawned++;
        return { command: process.execPath, args: ['-e', 'process.exit(3)'], env: {} };
      },
      logger: createLogger({}, { write: (l) => void lines.push(l) }),
      stdio: 'ignore',
    });
    await pool.scale(tenant, dataset, 1);
    await new Promise((r) => setTimeout(r, 4_500));
    await pool.close();
    // Spawns at 0 s, ~1 s, ~3 s (later on a loaded machine); the next would be at ~7 s.
    expect(spawned).toBeGreaterThanOrEqual(2);
    expect(spawned).toBeLessThanOrEqual(3);
    const delays = lines.filter((l) => l.includes('exited unasked')).map((l) => (JSON.parse(l) as { restart_in_ms: number; code: number }).restart_in_ms);
    expect(delays.slice(0, 3)).toEqual([1000, 2000, 4000].slice(0, delays.length));
  });
});
