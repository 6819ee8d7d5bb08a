import * as crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bearerToken, BearerTokens } from '../../../ingest/src/api/bearer-tokens';

const sha = (s: string): string => crypto.createHash('sha256').update(s).digest('hex');

describe('BearerTokens', () => {
  it('concat: one set with the tokens of both, a name in both keeping both digests', async () => {
    const both = new BearerTokens({ ops: sha('o1') }).concat(new BearerTokens({ ops: sha('o2'), upload_api: sha('api') }), 'both');
    await expect(['o1', 'o2', 'api', 'nope'].map((t) => both.authenticate(t))).toEqual(['ops', 'ops', 'upload_api', undefined]);
    await expect(both.clients).toEqual(['ops', 'upload_api']);
  });

  it('finds the client of a token, with several digests per client for rotation', () => {
    const tokens = new BearerTokens({ client_a: sha('a'), client_b: [sha('b-old'), sha('b-new')] });
    expect(tokens.authenticate('a')).toBe('client_a');
    expect(tokens.authenticate('b-old')).toBe('client_b');
    expect(tokens.authenticate('b-new')).toBe('client_b');
    expect(tokens.authenticate('c')).toBeUndefined();
    expect(JSON.stringify(tokens)).toBe('{"clients":["client_a","client_b"]}');
  });

  it.each([
    [{ '../x': sha('a') }, 'tokens: client id "../x" must start with a lowercase letter and contain only lowercase letters, digits and "_", not ending in "_"'],
    [{ 'client-a': sha('a') }, 'tokens: client id "client-a" must start with a lowercase letter and contain only lowercase letters, digits and "_", not ending in "_"'],
    [{ a: sha('a') }, 'tokens: client id "a" must be 2 to 40 characters long'],
    [{ client_a: 'abc' }, 'tokens: client_a must be the SHA-256 hex digest of a token (64 hex characters)'],
    [{ client_a: [sha('a'), 7] }, 'tokens: client_a[1] must be the SHA-256 hex digest of a token (64 hex characters)'],
    [{ client_a: { x: 1 } }, 'tokens: client_a[0] must be the SHA-256 hex digest of a token (64 hex characters)'],
  ])('refuses %j', (entries, message) => {
    expect(() => new BearerTokens(entries as never)).toThrow(message);
  });

  it('reads only the Bearer scheme', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer  abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
