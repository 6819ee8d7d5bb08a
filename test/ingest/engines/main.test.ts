import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../ingest/src/errors';
import { run } from '../../../ingest/src/engines/main';

describe('engines CLI usage errors', () => {
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
