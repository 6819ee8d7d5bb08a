import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlive } from './process-control';

export interface EngineLease {
  /** Gives the lease back; resolves how many other live processes still hold one. */
  release(): number;
}

/**
 * A lease on the running engines, held by a process that uses them (a test run). Several test runs
 * share one engine pair; the run that started the engines must not stop them under another run
 * that still holds a lease. Leases of dead processes do not count.
 */
export function takeLease(runDir: string, pid: number = process.pid): EngineLease {
  const dir = path.join(runDir, 'leases');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, String(pid));
  fs.writeFileSync(file, '');
  return {
    release: () => {
      fs.rmSync(file, { force: true });
      return liveLeases(runDir).length;
    },
  };
}

/** Pids of the live processes holding a lease (stale leases are cleared). */
export function liveLeases(runDir: string): number[] {
  const dir = path.join(runDir, 'leases');
  if (!fs.existsSync(dir)) return [];
  const holders: number[] = [];
  for (const name of fs.readdirSync(dir)) {
    const holder = Number(name);
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) holders.push(holder);
    else fs.rmSync(path.join(dir, name), { force: true });
  }
  return holders;
}
