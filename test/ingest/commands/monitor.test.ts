import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../ingest/src/args';
import { UsageError } from '../../../infra/errors';
import { runCli } from '../helpers/run-cli';

// The engines-free part of the command: settings. Serving and deciding: test/ingest/monitor/.
describe('mysimbdp monitor settings', () => {
  it('--sink-scaler beats SINK_SCALER, which beats the default (manager)', async () => {
    const scaler = (argv: string[], env: NodeJS.ProcessEnv) => parseCommand('monitor', [...argv, '--tokens', 't.json'], env).flags['sink-scaler'];
    expect(scaler([], {})).toBe('manager');
    expect(scaler([], { SINK_SCALER: 'keda' })).toBe('keda');
    expect(scaler(['--sink-scaler', 'manager'], { SINK_SCALER: 'keda' })).toBe('manager');
  });

  it('refuses another sink scaler, naming the flag and value', async () => {
    const err = (() => {
      try {
        return parseCommand('monitor', ['--tokens', 't.json'], { SINK_SCALER: 'hpa' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe('--sink-scaler must be manager or keda, got "hpa"');
  });

  it('exits 2 on a bad --sink-scaler before it listens', async () => {
    const r = await runCli(['monitor', '--port', '0', '--tokens', 'tokens.json', '--sink-scaler', 'KEDA']);
    await expect(r.code).toBe(2);
    await expect(r.stderr).toContain('mysimbdp monitor: --sink-scaler must be manager or keda, got "KEDA"');
  });

  it('exits 2 without the tenants\' report tokens, naming the flag and the variable', async () => {
    const r = await runCli(['monitor', '--port', '0'], { MONITOR_TOKENS_FILE: '' });
    await expect(r.code).toBe(2);
    await expect(r.stderr).toBe('mysimbdp monitor: missing setting: pass --tokens or set MONITOR_TOKENS_FILE\nrun "mysimbdp monitor --help"\n');
  });
});
