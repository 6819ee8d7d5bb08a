import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cgroupVersion, memoryCgroupDir, parseCounter, peakFile, readPeak, removeCgroup } from '../../../ingest/src/image/cgroup-peak';

const tempRoot = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'mysimbdp-cgroup-'));

describe('cgroup peak', () => {
  it('tells v2 (cgroup.controllers at the root) from v1', async () => {
    const root = tempRoot();
    await expect(cgroupVersion(root)).toBe(1);
    fs.writeFileSync(path.join(root, 'cgroup.controllers'), 'cpu memory\n');
    await expect(cgroupVersion(root)).toBe(2);
  });

  it("names the parent's peak file in either hierarchy", async () => {
    await expect(peakFile('/mysimbdp-x', 1, '/sys/fs/cgroup')).toBe('/sys/fs/cgroup/memory/mysimbdp-x/memory.max_usage_in_bytes');
    await expect(peakFile('/mysimbdp-x', 2, '/sys/fs/cgroup')).toBe('/sys/fs/cgroup/mysimbdp-x/memory.peak');
    await expect(memoryCgroupDir('a/b', 1, '/r')).toBe('/r/memory/a/b');
  });

  it('parses a counter, and names the file and the text of anything else', async () => {
    await expect(parseCounter('91226112\n', 'f')).toBe(91226112);
    await expect(Promise.resolve().then(() => parseCounter('max\n', '/x/memory.peak'))).rejects.toThrow('/x/memory.peak: expected a byte count, got "max"');
  });

  it('reads the peak, names a missing file, and removes the parent from every hierarchy', async () => {
    const root = tempRoot();
    for (const ctl of ['memory', 'pids']) fs.mkdirSync(path.join(root, ctl, 'mysimbdp-t', 'conmon'), { recursive: true });
    fs.mkdirSync(path.join(root, 'cpu'));
    await expect(Promise.resolve().then(() => readPeak('/mysimbdp-t', 1, root))).rejects.toThrow(`cannot read the container's peak memory from ${path.join(root, 'memory/mysimbdp-t/memory.max_usage_in_bytes')}: ENOENT`);
    const file = peakFile('/mysimbdp-t', 1, root);
    fs.writeFileSync(file, '53243904\n');
    await expect(readPeak('/mysimbdp-t', 1, root)).toBe(53243904);
    fs.rmSync(file);
    removeCgroup('/mysimbdp-t', 1, root);
    await expect(fs.readdirSync(path.join(root, 'memory'))).toEqual([]);
    await expect(fs.readdirSync(path.join(root, 'pids'))).toEqual([]);
  });
});
