import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { EngineError } from '../../../infra/errors';
import type { StagingLayout } from './staging-layout';

/**
 * The file life cycle's moves, each an atomic rename on the staging volume:
 * in/ → in/.processing/ (claim) → archive/ or failed/ (+ `<name>.reason.json`).
 */

/** Moves in/<name> to in/.processing/<name>; false when another instance took it first. */
export async function claim(layout: StagingLayout, name: string): Promise<boolean> {
  try {
    await fs.mkdir(layout.processing, { recursive: true });
    await fs.rename(path.join(layout.inbox, name), path.join(layout.processing, name));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    // The staging volume itself is wrong (permissions, read-only): no file can be handled.
    throw new EngineError(`cannot claim ${name} into ${layout.processing}: ${(err as Error).message}`, { cause: err, context: { file: name } });
  }
}

/** A free name in `dir`: `name`, else `<base>.<n><ext>` — an earlier file of that name is never overwritten. */
async function freeName(dir: string, name: string): Promise<string> {
  const ext = path.extname(name);
  const base = name.slice(0, name.length - ext.length);
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? name : `${base}.${n}${ext}`;
    try {
      await fs.access(path.join(dir, candidate));
    } catch {
      return candidate;
    }
  }
}

/** Moves in/.processing/<name> to archive/; returns the archived name. */
export async function archive(layout: StagingLayout, name: string): Promise<string> {
  await fs.mkdir(layout.archive, { recursive: true });
  const target = await freeName(layout.archive, name);
  await fs.rename(path.join(layout.processing, name), path.join(layout.archive, target));
  return target;
}

/** Moves in/.processing/<name> to failed/ with `<name>.reason.json` beside it; returns the failed name. */
export async function fail(layout: StagingLayout, name: string, reason: Record<string, unknown>): Promise<string> {
  await fs.mkdir(layout.failed, { recursive: true });
  const target = await freeName(layout.failed, name);
  await fs.writeFile(path.join(layout.failed, `${target}.reason.json`), `${JSON.stringify(reason, null, 2)}\n`);
  await fs.rename(path.join(layout.processing, name), path.join(layout.failed, target));
  return target;
}
