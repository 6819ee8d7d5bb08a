import { describe, expect, it } from 'vitest';
import { clientIdProblem, dnsName } from '../../../../infra/tenant/rules/client-id';

describe('clientIdProblem', () => {
  it.each(['client_a', 'client_b', 'acme', 'a1', 'tenant_42_x'])('accepts %s', async (id) => {
    await expect(Promise.resolve(clientIdProblem(id))).resolves.toBeUndefined();
  });
  it.each(['Client_a', 'client-a', 'client.a', '1client', '_a', 'client_', 'cli ent'])('rejects %j by its characters', async (id) => {
    await expect(Promise.resolve(clientIdProblem(id))).resolves.toBe('must start with a lowercase letter and contain only lowercase letters, digits and "_", not ending in "_"');
  });
  it.each(['a', '', 'a'.repeat(41)])('rejects %j by its length', async (id) => {
    await expect(Promise.resolve(clientIdProblem(id))).resolves.toBe('must be 2 to 40 characters long');
  });
});

describe('dnsName', () => {
  it('maps underscores to dashes', async () => {
    await expect(Promise.resolve(dnsName('client_a'))).resolves.toBe('client-a');
    await expect(Promise.resolve(dnsName('a__b_c'))).resolves.toBe('a--b-c');
  });
});
