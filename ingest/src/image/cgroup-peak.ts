import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError } from '../../../infra/errors';

// A container's peak memory, read from the kernel after it exited. podman removes the container's
// own cgroup at exit, so each container runs under a parent cgroup of ours (`--cgroup-parent`,
// cgroupfs manager); the parent keeps the peak of everything charged below it — the container and
// its conmon (about 1 MiB) — and this module reads it, then removes the parent.

export const CGROUP_ROOT = '/sys/fs/cgroup';

export type CgroupVersion = 1 | 2;

/** cgroup v2 has `cgroup.controllers` at the root of its single hierarchy; v1 has one folder per controller. */
export function cgroupVersion(root: string = CGROUP_ROOT): CgroupVersion {
  return fs.existsSync(path.join(root, 'cgroup.controllers')) ? 2 : 1;
}

/** The parent's folder in the memory hierarchy: `<root>/memory/<parent>` (v1) or `<root>/<parent>` (v2). */
export function memoryCgroupDir(parent: string, version: CgroupVersion, root: string = CGROUP_ROOT): string {
  const rel = parent.replace(/^\/+/, '');
  return version === 1 ? path.join(root, 'memory', rel) : path.join(root, rel);
}

/** The file holding the highest memory use seen: `memory.max_usage_in_bytes` (v1) or `memory.peak` (v2). */
export function peakFile(parent: string, version: CgroupVersion, root: string = CGROUP_ROOT): string {
  return path.join(memoryCgroupDir(parent, version, root), version === 1 ? 'memory.max_usage_in_bytes' : 'memory.peak');
}

/** Bytes from a cgroup counter file (one decimal integer and a newline). */
export function parseCounter(text: string, file: string): number {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) throw new EngineError(`${file}: expected a byte count, got ${JSON.stringify(trimmed)}`);
  return Number(trimmed);
}

/** The peak of everything that ran under `parent`, in bytes. */
export function readPeak(parent: string, version: CgroupVersion = cgroupVersion(), root: string = CGROUP_ROOT): number {
  const file = peakFile(parent, version, root);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new EngineError(`cannot read the container's peak memory from ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  return parseCounter(text, file);
}

/** Removes the parent cgroup from every hierarchy (empty once its containers exited; a leftover folder is harmless). */
export function removeCgroup(parent: string, version: CgroupVersion = cgroupVersion(), root: string = CGROUP_ROOT): void {
  const rel = parent.replace(/^\/+/, '');
  const tops = version === 2 ? [root] : fs.readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(root, e.name));
  const remove = (d: string): void => {
    if (!fs.existsSync(d)) return;
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) if (entry.isDirectory()) remove(path.join(d, entry.name));
    try {
      fs.rmdirSync(d);
    } catch {
      // still busy: the kernel frees it with its last process
    }
  };
  for (const top of tops) remove(path.join(top, rel));
}
