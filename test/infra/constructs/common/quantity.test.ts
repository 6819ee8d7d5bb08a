import { describe, expect, it } from 'vitest';
import { cpuMillis, formatCpu, formatMemory, memoryBytes } from '../../../../infra/constructs/common/quantity';
import { thrownMessage } from '../../fixtures';

describe('quantity', () => {
  it('parses cpu and memory', () => {
    expect([cpuMillis('250m'), cpuMillis('1'), cpuMillis('0.5'), cpuMillis('2k')]).toEqual([250, 1000, 500, 2_000_000]);
    expect([memoryBytes('64Mi'), memoryBytes('1Gi'), memoryBytes('1M'), memoryBytes('100')]).toEqual([67_108_864, 1_073_741_824, 1_000_000, 100]);
  });

  it('formats sums back', () => {
    expect([formatCpu(2500), formatCpu(3000)]).toEqual(['2500m', '3']);
    expect([formatMemory(3 * 2 ** 30), formatMemory(1536 * 2 ** 20), formatMemory(1000)]).toEqual(['3Gi', '1536Mi', '1000']);
  });

  it.each([
    [() => cpuMillis('1Gi'), 'cpu "1Gi" is in a byte unit (Gi); CPU is counted in cores, such as "1", "0.5" or "500m"'],
    [() => cpuMillis('lots'), 'cpu "lots" is not a Kubernetes quantity (a number with an optional suffix such as m, k, Mi, Gi or e3)'],
    [() => memoryBytes('100m'), 'memory "100m" is a fractional number of bytes; "m" means millibytes — did you mean "100Mi"?'],
    [() => memoryBytes('1 Gi'), 'memory "1 Gi" is not a Kubernetes quantity (a number with an optional suffix such as m, k, Mi, Gi or e3)'],
  ])('rejects bad quantities (%#)', async (fn, message) => {
    expect(thrownMessage(fn)).toBe(message);
  });
});
