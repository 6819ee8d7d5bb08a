import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../../infra/json-depth';

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, not brackets inside strings', async () => {
    await expect(nestsDeeperThan('[[{"a":[1]}]]', 4)).toBe(false);
    await expect(nestsDeeperThan('[[{"a":[[1]]}]]', 4)).toBe(true);
    await expect(nestsDeeperThan('[["[[[[\\"[[[", {"b":"\\\\"}]]', 3)).toBe(false);
  });

  it('ends on text with a string left open', async () => {
    await expect(nestsDeeperThan('["[[[[', 1)).toBe(false);
    await expect(nestsDeeperThan('["[[[\\', 1)).toBe(false);
  });

  it('does not scan text too short to nest that deep', async () => {
    await expect(nestsDeeperThan('[[[', 1)).toBe(false);
    await expect(nestsDeeperThan('[[]]', 1)).toBe(true);
  });
});
