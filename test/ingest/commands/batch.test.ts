import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli';

// The engines-free part of the command: settings. Ingestion itself: test/ingest/batch/batch.int.test.ts.
describe('mysimbdp batch settings', () => {
  it('exits 2 naming the flag and variable when no client is given', async () => {
    const r = await runCli(['batch'], { CLIENT_ID: '' });
    await expect(r.code).toBe(2);
    await expect(r.stderr).toContain('mysimbdp batch: missing setting: pass --client or set CLIENT_ID');
  });

  it('exits 2 on an unknown flag', async () => {
    const r = await runCli(['batch', '--clinet', 'x']);
    await expect(r.code).toBe(2);
    await expect(r.stderr).toContain("Unknown option '--clinet'");
  });

  it('exits 1 naming an unknown tenant', async () => {
    const r = await runCli(['batch', '--client', 'nobody'], { TENANTS_DIR: 'tenants' });
    await expect(r.code).toBe(1);
    await expect(r.stderr).toContain('is not a known tenant (known: client_a');
  });
});
