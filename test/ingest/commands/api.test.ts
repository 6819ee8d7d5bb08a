import { describe, expect, it } from 'vitest';
import { run } from '../../../ingest/src/commands/api';
import { UsageError } from '../../../ingest/src/errors';

describe('mysimbdp api', () => {
  it('needs a tokens file', async () => {
    const before = process.env.API_TOKENS_FILE;
    delete process.env.API_TOKENS_FILE;
    try {
      await expect(run(['--port', '0'])).rejects.toThrow(new UsageError('missing setting: pass --tokens or set API_TOKENS_FILE'));
    } finally {
      if (before !== undefined) process.env.API_TOKENS_FILE = before;
    }
  });

  it('refuses a tokens file that is not a map of SHA-256 digests', async () => {
    await expect(run(['--tokens', '/nonexistent/tokens.json'])).rejects.toThrow(/^cannot read tokens file \/nonexistent\/tokens\.json: ENOENT/);
  });
});
