import { describe, expect, it } from 'vitest';
import { parseRetention } from '../../../../infra/tenant/rules/retention';

describe('parseRetention', () => {
  it.each([[7, 604_800_000], ['7', 604_800_000], [' 3 ', 259_200_000], [1.5, 129_600_000], ['.5', 43_200_000]])('%j days is %s ms', async (raw, ms) => {
    await expect(Promise.resolve(parseRetention(raw))).resolves.toMatchObject({ ok: true, ms });
  });
  it.each([0, -1, '0', '7 days', '', '1e3', 1e-12, 1e300])('refuses %j', async (raw) => {
    await expect(Promise.resolve(parseRetention(raw))).resolves.toEqual({ ok: false, message: 'must be a positive number of days (a number or a numeric string such as "7")' });
  });
});
