import { describe, expect, it } from 'vitest';
import { isDnsLabel, isDnsSubdomain } from '../../../../infra/tenant/rules/dns-name';

describe('isDnsLabel', () => {
  it.each(['a', 'client-a', '0abc', 'a'.repeat(63)])('accepts %j', async (v) => {
    await expect(Promise.resolve(isDnsLabel(v))).resolves.toBe(true);
  });
  it.each(['', '-a', 'a-', 'A', 'client_a', 'a.b', 'a'.repeat(64)])('refuses %j', async (v) => {
    await expect(Promise.resolve(isDnsLabel(v))).resolves.toBe(false);
  });
  it('honours a shorter maximum, never a longer one', async () => {
    await expect(Promise.resolve([isDnsLabel('abcdef', 5), isDnsLabel('abcde', 5), isDnsLabel('a'.repeat(64), 100)])).resolves.toEqual([false, true, false]);
  });
});

describe('isDnsSubdomain', () => {
  it.each([['mysimbdp-connect-push', true], ['a.b-c.d', true], ['a..b', false], ['.a', false], ['A.b', false], [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, true], ['a'.repeat(254), false]])('%j → %s', async (v, ok) => {
    await expect(Promise.resolve(isDnsSubdomain(v as string))).resolves.toBe(ok);
  });
});
