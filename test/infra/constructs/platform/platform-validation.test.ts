import { describe, expect, it } from 'vitest';
import { requireDnsLabel, requireInteger, requireNonEmpty, requireQuantity, requireResources } from '../../../../infra/constructs/platform/platform-validation';
import { thrownMessage } from '../../fixtures';

describe('platform prop checks', () => {
  it('accept good values', async () => {
    expect(() => requireDnsLabel('C', 'f', 'a-1')).not.toThrow();
    expect(() => requireInteger('C', 'f', 3, 1, 3)).not.toThrow();
    expect(() => requireQuantity('C', 'f', '1.5Gi')).not.toThrow();
    expect(() => requireQuantity('C', 'f', '500m')).not.toThrow();
    expect(() => requireResources('C', 'r', { requests: { cpu: '0.5', memory: '1e3' }, limits: { cpu: '2', memory: '1Gi' } })).not.toThrow();
  });

  it('name construct, field and value in every message', async () => {
    expect(thrownMessage(() => requireDnsLabel('C', 'f', 'x'.repeat(64)))).toBe(`C: f must be a DNS label (a-z, 0-9, '-', at most 63), got "${'x'.repeat(64)}"`);
    expect(thrownMessage(() => requireInteger('C', 'f', 1.5, 1))).toBe('C: f must be an integer >= 1, got 1.5');
    expect(thrownMessage(() => requireInteger('C', 'port', 80, 1024, 65535))).toBe('C: port must be an integer between 1024 and 65535, got 80');
    expect(thrownMessage(() => requireQuantity('C', 'f', '-1Gi'))).toBe('C: f must be a Kubernetes quantity (e.g. 10Gi), got "-1Gi"');
    expect(thrownMessage(() => requireNonEmpty('C', 'f', ''))).toBe('C: f must not be empty');
    expect(thrownMessage(() => requireResources('C', 'r', { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: 'two', memory: '1Gi' } }))).toBe(
      'C: r.limits.cpu must be a CPU quantity (e.g. 500m or 1), got "two"',
    );
  });
});
