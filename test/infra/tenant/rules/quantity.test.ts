import { describe, expect, it } from 'vitest';
import { parseCpu, parseMemory } from '../../../../infra/tenant/rules/quantity';

describe('parseCpu', () => {
  it.each([['500m', 0.5], ['1', 1], ['0.5', 0.5], ['2.25', 2.25], ['.1', 0.1], ['1m', 0.001]])('accepts %s', async (raw, cores) => {
    await expect(Promise.resolve(parseCpu(raw))).resolves.toEqual({ ok: true, value: cores });
  });
  it.each(['1Gi', '500Mi', 'abc', '', '-1', '1.5m', '1 ', '1e3', 'm'])('rejects %j', async (raw) => {
    await expect(Promise.resolve(parseCpu(raw))).resolves.toEqual({ ok: false, message: 'must be a CPU quantity in cores, such as "2", "0.5" or "500m"' });
  });
  it('rejects zero', async () => {
    await expect(Promise.resolve(parseCpu('0m'))).resolves.toEqual({ ok: false, message: 'must be at least 1m (one millicore)' });
  });
});

describe('parseMemory', () => {
  it.each([['128Mi', 128 * 2 ** 20], ['1Gi', 2 ** 30], ['512M', 512e6], ['1k', 1000], ['64Ki', 65536], ['1000', 1000], ['1e3', 1000], ['1.5Gi', 1.5 * 2 ** 30]])('accepts %s', async (raw, bytes) => {
    await expect(Promise.resolve(parseMemory(raw))).resolves.toEqual({ ok: true, value: bytes });
  });
  it.each(['1GB', 'Mi', '1.5.2Mi', '1mi', '1 Gi', '', '1K'])('rejects %j', async (raw) => {
    await expect(Promise.resolve(parseMemory(raw))).resolves.toEqual({ ok: false, message: 'must be a memory quantity such as "128Mi", "1Gi" or "512M"' });
  });
  it('explains the millibyte mistake', async () => {
    await expect(Promise.resolve(parseMemory('128m'))).resolves.toEqual({ ok: false, message: 'must be a memory quantity in bytes; "128m" means millibytes — did you mean "128Mi"?' });
  });
  it('rejects zero bytes', async () => {
    await expect(Promise.resolve(parseMemory('0'))).resolves.toEqual({ ok: false, message: 'must be at least one byte' });
  });
});
