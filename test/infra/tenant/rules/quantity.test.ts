import { describe, expect, it } from 'vitest';
import { thrownMessage } from '../../fixtures';
import { parseCpu, parseMemory, Quantity } from '../../../../infra/tenant/rules/quantity';

const cores = (text: string): number | string => {
  const r = parseCpu(text);
  return r.ok ? r.quantity.millicores / 1000 : r.message;
};
const bytes = (text: string): number | string => {
  const r = parseMemory(text);
  return r.ok ? r.quantity.bytes : r.message;
};

describe('Quantity.parse (apimachinery ParseQuantity grammar)', () => {
  it.each([
    ['1', 1_000_000_000n], ['500m', 500_000_000n], ['.5', 500_000_000n], ['1.', 1_000_000_000n], ['+1', 1_000_000_000n], ['-1', -1_000_000_000n],
    ['1e3', 1_000_000_000_000n], ['1E3', 1_000_000_000_000n], ['1e+3', 1_000_000_000_000n], ['1e-3', 1_000_000n], ['1Ki', 1_024_000_000_000n],
    ['1n', 1n], ['0.1n', 1n], ['1u', 1_000n], ['1.5Ki', 1_536_000_000_000n], ['.', 0n], ['007', 7_000_000_000n],
  ])('%j is %s nano-units', async (text, nanos) => {
    const q = Quantity.parse(text);
    await expect(Promise.resolve(typeof q === 'string' ? q : q.nanos)).resolves.toBe(nanos);
  });
  it.each([
    ['', 'is not a Kubernetes quantity (a number with an optional suffix such as m, k, Mi, Gi or e3)'],
    ['1 Gi', 'is not a Kubernetes quantity (a number with an optional suffix such as m, k, Mi, Gi or e3)'],
    ['1e3k', 'is not a Kubernetes quantity (a number with an optional suffix such as m, k, Mi, Gi or e3)'],
    ['1e2Gi', 'is not a Kubernetes quantity (a number with an optional suffix such as m, k, Mi, Gi or e3)'],
    ['1GB', 'is not a Kubernetes quantity (a number with an optional suffix such as m, k, Mi, Gi or e3)'],
    ['1K', 'has an unknown suffix "K" (use m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or e<exponent>)'],
    ['1mi', 'has an unknown suffix "mi" (use m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or e<exponent>)'],
  ])('refuses %j', async (text, message) => {
    await expect(Promise.resolve(Quantity.parse(text))).resolves.toBe(message);
  });
});

describe('parseCpu', () => {
  it.each([['500m', 0.5], ['1', 1], ['0.5', 0.5], ['.25', 0.25], ['1.', 1], ['+1', 1], ['1e-3', 0.001], ['2k', 2000], [' 1 ', 1], ['1.0005', 1.001]])('accepts %j as %s cores', async (text, n) => {
    await expect(Promise.resolve(cores(text))).resolves.toBe(n);
  });
  it.each([
    ['-1', 'must not be negative', false],
    ['0', 'must be more than zero (a workload with none of it cannot run)', true],
    ['1Gi', 'is in a byte unit (Gi); CPU is counted in cores, such as "1", "0.5" or "500m"', true],
    ['0.5m', 'must be at least 1m (one millicore)', true],
    ['1e7', 'must be at most 1000000 cores (no node has more)', true],
  ])('refuses %j: %s', async (text, message, deliberate) => {
    await expect(Promise.resolve(parseCpu(text))).resolves.toEqual({ ok: false, message, deliberate });
  });
});

describe('parseMemory', () => {
  it.each([['128Mi', 128 * 2 ** 20], ['1Gi', 2 ** 30], ['512M', 512e6], ['1E3', 1000], ['5.', 5], ['1e+3', 1000], ['1.5Gi', 1.5 * 2 ** 30], ['0.125e3Mi', NaN]])('reads %j', async (text, n) => {
    if (Number.isNaN(n)) await expect(Promise.resolve(typeof bytes(text))).resolves.toBe('string');
    else await expect(Promise.resolve(bytes(text))).resolves.toBe(n);
  });
  it.each([
    ['128m', 'is a fractional number of bytes; "m" means millibytes — did you mean "128Mi"?', true],
    ['1.5', 'is a fractional number of bytes', true],
    ['0', 'must be more than zero (a workload with none of it cannot run)', true],
    ['-64Mi', 'must not be negative', false],
    ['2Ei', 'must be at most 1Ei (no node has more)', true],
  ])('refuses %j: %s', async (text, message, deliberate) => {
    await expect(Promise.resolve(parseMemory(text))).resolves.toEqual({ ok: false, message, deliberate });
  });
});

describe('Quantity in code', () => {
  it('reads cpu and memory written in code', async () => {
    expect([Quantity.cpu('250m'), Quantity.cpu('1'), Quantity.cpu('0.5'), Quantity.cpu('2k')].map((q) => q.millicores)).toEqual([250, 1000, 500, 2_000_000]);
    expect([Quantity.memory('64Mi'), Quantity.memory('1Gi'), Quantity.memory('1M'), Quantity.memory('100')].map((q) => q.bytes)).toEqual([67_108_864, 1_073_741_824, 1_000_000, 100]);
  });

  it('writes sums back as Kubernetes would', async () => {
    const cpu = (...terms: [string, number][]) => String(Quantity.total('cpu', terms.map(([t, n]) => [Quantity.cpu(t), n] as const)));
    const memory = (...terms: [string, number][]) => String(Quantity.total('memory', terms.map(([t, n]) => [Quantity.memory(t), n] as const)));
    expect([cpu(['500m', 5]), cpu(['500m', 6]), cpu(['1m', 3]), cpu(['1', 2], ['250m', 1])]).toEqual(['2500m', '3', '3m', '2250m']);
    expect([memory(['1Gi', 3]), memory(['512Mi', 3]), memory(['1k', 1]), memory(['1Ei', 2])]).toEqual(['3Gi', '1536Mi', '1000', '2Ei']);
  });

  it('serializes as written', async () => {
    expect(JSON.stringify({ cpu: Quantity.cpu('.5'), memory: Quantity.memory('1e3') })).toBe('{"cpu":".5","memory":"1e3"}');
  });

  it.each([
    [() => Quantity.cpu('1Gi'), 'cpu "1Gi" is in a byte unit (Gi); CPU is counted in cores, such as "1", "0.5" or "500m"'],
    [() => Quantity.cpu('lots'), 'cpu "lots" is not a Kubernetes quantity (a number with an optional suffix such as m, k, Mi, Gi or e3)'],
    [() => Quantity.memory('100m'), 'memory "100m" is a fractional number of bytes; "m" means millibytes — did you mean "100Mi"?'],
    [() => Quantity.memory('1 Gi'), 'memory "1 Gi" is not a Kubernetes quantity (a number with an optional suffix such as m, k, Mi, Gi or e3)'],
  ])('refuses a bad quantity in code (%#)', async (fn, message) => {
    expect(thrownMessage(fn)).toBe(message);
  });
});
