import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../infra/errors';
import { createLogger, logLevelSetting, processLogLevel, setLogLevel, type LogLevel } from '../../ingest/src/log';

afterEach(() => setLogLevel('info'));

describe('logLevelSetting', () => {
  it('reads LOG_LEVEL, info when unset or empty', async () => {
    expect([logLevelSetting(undefined), logLevelSetting(''), logLevelSetting('debug'), logLevelSetting('error')]).toEqual(['info', 'info', 'debug', 'error']);
  });

  it('refuses another value, naming it', async () => {
    expect(() => logLevelSetting('DEBUG')).toThrow(new UsageError('LOG_LEVEL must be one of debug, info, warn, error, got "DEBUG"'));
  });
});

describe('createLogger', () => {
  const collect = (level?: LogLevel) => {
    const lines: string[] = [];
    const log = createLogger({ c: 1 }, { ...(level === undefined ? {} : { level }), write: (line) => lines.push(line) });
    log.debug('d');
    log.info('i');
    log.child({ x: 2 }).warn('w');
    log.error('e');
    return lines.map((l) => (JSON.parse(l) as { level: string }).level);
  };

  it('drops lines below the process level, info by default', async () => {
    expect(collect()).toEqual(['info', 'warn', 'error']);
    setLogLevel('debug');
    expect([processLogLevel(), ...collect()]).toEqual(['debug', 'debug', 'info', 'warn', 'error']);
    setLogLevel('warn');
    expect(collect()).toEqual(['warn', 'error']);
  });

  it('lets an explicit level win over the process level', async () => {
    setLogLevel('debug');
    expect(collect('error')).toEqual(['error']);
  });
});
