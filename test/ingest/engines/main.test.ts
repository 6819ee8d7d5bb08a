import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../../infra/errors';
import { takeLease } from '../../../ingest/src/engines/engine-leases';
import { USAGE, run } from '../../../ingest/src/engines/main';

describe('engines CLI usage errors', () => {
  it('prints the usage for --help', async () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await expect(run(['--help'])).resolves.toBe(0);
      expect(stdout).toHaveBeenCalledWith(`${USAGE}\n`);
    } finally {
      stdout.mockRestore();
    }
  });

  it('rejects a missing command', async () => {
    await expect(run([])).rejects.toThrow(new UsageError('missing command'));
  });

  it('rejects an unknown command', async () => {
    await expect(run(['start'])).rejects.toThrow('unknown command "start"');
  });

  it('rejects an unknown flag', async () => {
    await expect(run(['up', '--fast'])).rejects.toBeInstanceOf(UsageError);
    await expect(run(['up', '--fast'])).rejects.toThrow(/^Unknown option '--fast'/);
  });
});

describe('engines down', () => {
  it('refuses while a test run holds a lease on the engines', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engines-down-'));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const lease = takeLease(path.join(cacheDir, 'run'));
    try {
      await expect(run(['down', '--cache-dir', cacheDir])).resolves.toBe(1);
      expect(stderr).toHaveBeenCalledWith(`engines: not stopping, test runs use the engines (pids ${process.pid}); --force stops them anyway\n`);
    } finally {
      lease.release();
      stderr.mockRestore();
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
