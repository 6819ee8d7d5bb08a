import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../ingest/src/cli-commands';
import { commandHelp, usage } from '../../ingest/src/cli-help';
import { REPO_ROOT, runCli } from '../helpers/cli';

describe('mysimbdp (the dispatcher)', () => {
  it('prints the generated usage with --help, -h and help (exit 0) and without a command (exit 2)', async () => {
    for (const arg of ['--help', '-h', 'help']) await expect(Promise.resolve(runCli([arg]))).resolves.toEqual({ code: 0, stdout: usage(), stderr: '' });
    await expect(Promise.resolve(runCli([]))).resolves.toEqual({ code: 2, stdout: usage(), stderr: '' });
  });

  it.each(COMMANDS)('%s answers --help with its generated help (exit 0)', async (name) => {
    await expect(Promise.resolve(runCli([name, '--help']))).resolves.toEqual({ code: 0, stdout: commandHelp(name), stderr: '' });
  });

  it('answers -h after other flags, and `help <command>`', async () => {
    await expect(Promise.resolve(runCli(['sink', '--client', 'x', '-h']).stdout)).resolves.toBe(commandHelp('sink'));
    await expect(Promise.resolve(runCli(['help', 'gen']).stdout)).resolves.toBe(commandHelp('gen'));
  });

  it('prints the package version with --version and -V', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'ingest', 'package.json'), 'utf8')) as { version: string };
    await expect(Promise.resolve(runCli(['--version']))).resolves.toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    await expect(Promise.resolve(runCli(['-V']).stdout)).resolves.toBe(`${version}\n`);
  });

  it('refuses an unknown command with exit 2, naming it', async () => {
    const result = runCli(['ingest']);
    await expect(Promise.resolve([result.code, result.stderr.split('\n')[0]])).resolves.toEqual([2, 'mysimbdp: unknown command "ingest"']);
  });

  it('turns a missing required setting or a bad flag into a usage error (exit 2) with a hint', async () => {
    await expect(Promise.resolve(runCli(['sink'], { env: { CLIENT_ID: '' } }))).resolves.toEqual({ code: 2, stdout: '', stderr: 'mysimbdp sink: missing setting: pass --client or set CLIENT_ID\nrun "mysimbdp sink --help"\n' });
    await expect(Promise.resolve(runCli(['stats', '--clinet', 'a']))).resolves.toEqual({ code: 2, stdout: '', stderr: 'mysimbdp stats: Unknown option \'--clinet\'\nrun "mysimbdp stats --help"\n' });
  });

  it('refuses a LOG_LEVEL that is not a level (exit 2), naming the value', async () => {
    await expect(Promise.resolve(runCli(['validate'], { env: { LOG_LEVEL: 'loud' } }))).resolves.toEqual({ code: 2, stdout: '', stderr: 'mysimbdp: LOG_LEVEL must be one of debug, info, warn, error, got "loud"\n' });
  });

  it('writes debug lines (the resolved settings) with --verbose, before or after the command, or LOG_LEVEL=debug; none by default', async () => {
    const settingsLine = (stderr: string) => stderr.split('\n').filter((l) => l.includes('"msg":"settings"')).map((l) => {
      const { ts: _ts, ...rest } = JSON.parse(l) as Record<string, unknown>;
      return rest;
    });
    const expected = [{ level: 'debug', msg: 'settings', command: 'validate', tenants: 'tenants', base: undefined, format: 'json' }].map((o) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>);
    for (const [args, env] of [[['--verbose', 'validate', '--format', 'json'], {}], [['validate', '--format', 'json', '--verbose'], {}], [['validate', '--format', 'json'], { LOG_LEVEL: 'debug' }]] as const) {
      const r = runCli(args, { env: { TENANTS_DIR: '', ...env } });
      await expect(Promise.resolve([r.code, settingsLine(r.stderr)])).resolves.toEqual([0, expected]);
    }
    const quiet = runCli(['validate', '--format', 'json'], { env: { LOG_LEVEL: '' } });
    await expect(Promise.resolve([quiet.code, quiet.stderr])).resolves.toEqual([0, '']);
  });

  it('loads no cdk8s for `batch --help` (the table and the help are light)', async () => {
    const script = "require('tsx/cjs'); require('./ingest/src/cli.ts').main(['batch', '--help']).then(() => process.stderr.write(String(Object.keys(require.cache).filter((k) => /node_modules\\/(cdk8s|kafkajs|cassandra-driver)\\//.test(k)).length)))";
    const r = spawnSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    await expect(Promise.resolve([r.status, r.stderr])).resolves.toEqual([0, '0']);
  });
});
