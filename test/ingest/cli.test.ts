import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';

describe('mysimbdp (the dispatcher)', () => {
  it('prints usage with --help (exit 0) and without a command (exit 2)', async () => {
    const help = runCli(['--help']);
    await expect(Promise.resolve([help.code, help.stdout.split('\n')[0]])).resolves.toEqual([0, 'usage: mysimbdp <command> [options]          (flags beat environment variables, which beat defaults)']);
    await expect(Promise.resolve(runCli([]).code)).resolves.toBe(2);
  });

  it('refuses an unknown command with exit 2, naming it', async () => {
    const result = runCli(['ingest']);
    await expect(Promise.resolve([result.code, result.stderr.split('\n')[0]])).resolves.toEqual([2, 'mysimbdp: unknown command "ingest"']);
  });

  it('turns a missing required setting into a usage error (exit 2)', async () => {
    await expect(Promise.resolve(runCli(['sink'], { env: { CLIENT_ID: '' } }))).resolves.toEqual({ code: 2, stdout: '', stderr: 'mysimbdp sink: missing setting: pass --client or set CLIENT_ID\nrun "mysimbdp sink --help"\n' });
  });
});
