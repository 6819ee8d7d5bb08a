import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { takeLease } from '../../../ingest/src/engines/engine-leases';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engines-lease-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('takeLease', () => {
  it('counts the other live holders on release', async () => {
    const other = spawn('sleep', ['30']);
    try {
      takeLease(dir, other.pid);
      const mine = takeLease(dir);
      expect(mine.release()).toBe(1);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('ignores and clears leases of dead processes', () => {
    takeLease(dir, 999_999_999);
    expect(takeLease(dir).release()).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'leases'))).toEqual([]);
  });
});
