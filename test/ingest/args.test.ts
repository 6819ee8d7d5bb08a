import { describe, expect, it } from 'vitest';
import { UsageError } from '../../infra/errors';
import { choicesText, parseCommand } from '../../ingest/src/args';

const usageError = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error('no UsageError');
};

describe('parseCommand', () => {
  it('takes the flag, then its variable, then the default', async () => {
    expect(parseCommand('batch', ['--client', 'a', '--source', 'flag'], { SOURCE_PATH: 'env' }).flags.source).toBe('flag');
    expect(parseCommand('batch', ['--client', 'a'], { SOURCE_PATH: 'env' }).flags.source).toBe('env');
    expect(parseCommand('batch', ['--client', 'a'], {}).flags).toEqual({ client: 'a', dataset: undefined, source: 'staging', tenants: 'tenants', 'progress-seconds': '5' });
  });

  it('counts an empty flag or variable as unset', async () => {
    expect(parseCommand('batch', ['--client', 'a', '--source', ''], { SOURCE_PATH: '', DATASET: '' }).flags).toMatchObject({ source: 'staging', dataset: undefined });
  });

  it('reads a required setting from its variable, and names flag and variable when both are missing', async () => {
    expect(parseCommand('sink', [], { CLIENT_ID: 'b' }).flags.client).toBe('b');
    expect(usageError(() => parseCommand('sink', [], { CLIENT_ID: '' }))).toBe('missing setting: pass --client or set CLIENT_ID');
    expect(usageError(() => parseCommand('synth', [], {}))).toBe('--out DIR is required');
  });

  it('turns booleans into true/false', async () => {
    expect(parseCommand('sink', ['--client', 'a', '--until-idle'], {}).flags['until-idle']).toBe(true);
    expect(parseCommand('sink', ['--client', 'a'], {}).flags['until-idle']).toBe(false);
  });

  it('refuses a value outside the choices, naming the flag or the variable and the value', async () => {
    expect(usageError(() => parseCommand('validate', ['--format', 'xml'], {}))).toBe('--format must be text or json, got "xml"');
    expect(usageError(() => parseCommand('monitor', ['--tokens', 't'], { SCALE_TARGET: 'k8s' }))).toBe('--scale-target must be kubernetes or none, got "k8s"');
    expect(usageError(() => parseCommand('provision', [], { PROVISION_KAFKA: 'no' }))).toBe('PROVISION_KAFKA must be true or false, got "no"');
  });

  it('resolves environment-only settings with their defaults', async () => {
    expect(parseCommand('stream', ['--client', 'a'], { MONITOR_TOKEN: 's3cret' }).env).toEqual({
      MONITOR_TOKEN: 's3cret', STREAM_STALE_CLAIM_SECONDS: '900', STREAM_SHUTDOWN_GRACE_SECONDS: '20', HOSTNAME: undefined, ENCRYPTION_KEYS_DIR: '/etc/mysimbdp/keys',
    });
  });

  it('refuses unknown flags and positionals', async () => {
    expect(usageError(() => parseCommand('stats', ['--bogus'], {}))).toBe("Unknown option '--bogus'");
    expect(usageError(() => parseCommand('stats', ['extra'], {}))).toBe("Unexpected argument 'extra'. This command does not take positional arguments");
  });
});

describe('choicesText', () => {
  it('says "a or b" for two, "one of" for more', async () => {
    expect([choicesText(['a', 'b']), choicesText(['a', 'b', 'c'])]).toEqual(['a or b', 'one of a, b, c']);
  });
});
