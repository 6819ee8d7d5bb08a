import { describe, expect, it } from 'vitest';
import { requireDnsLabel, requireInteger, requireNonEmpty, requireResources } from '../../../../infra/constructs/platform/platform-validation';
import { resources, thrownMessage } from '../../fixtures';

describe('platform prop checks', () => {
  it('accept good values', async () => {
    expect(() => requireDnsLabel('C', 'f', 'a-1')).not.toThrow();
    expect(() => requireInteger('C', 'f', 3, 1, 3)).not.toThrow();
    expect(() => requireResources('C', 'r', resources('0.5', '1e3', '2', '1Gi'))).not.toThrow();
    expect(() => requireResources('C', 'r', resources('2', '1Gi', '2', '1Gi'))).not.toThrow();
  });

  it('name construct, field and value in every message', async () => {
    expect(thrownMessage(() => requireDnsLabel('C', 'f', 'x'.repeat(64)))).toBe(`C: f must be a DNS label (a-z, 0-9, '-', at most 63), got "${'x'.repeat(64)}"`);
    expect(thrownMessage(() => requireInteger('C', 'f', 1.5, 1))).toBe('C: f must be an integer >= 1, got 1.5');
    expect(thrownMessage(() => requireInteger('C', 'port', 80, 1024, 65535))).toBe('C: port must be an integer between 1024 and 65535, got 80');
    expect(thrownMessage(() => requireNonEmpty('C', 'f', ''))).toBe('C: f must not be empty');
    expect(thrownMessage(() => requireResources('C', 'r', resources('1500m', '1Gi', '1', '1Gi')))).toBe('C: r.requests.cpu (1500m) must not exceed r.limits.cpu (1)');
    expect(thrownMessage(() => requireResources('C', 'r', resources('1', '1025Mi', '1', '1Gi')))).toBe('C: r.requests.memory (1025Mi) must not exceed r.limits.memory (1Gi)');
  });
});
