import { InputError } from '../../errors';
import { cpuMillicores, memoryBytesOf, parseCpu, parseMemory, type Quantity } from '../../tenant/rules/quantity';

// Agreement quantities as numbers, so quotas can be summed: parsed by the contract's kernel (the
// values reached here have passed `validate`; a construct given a bad one says so).

function parsed(kind: 'cpu' | 'memory', text: string): Quantity {
  const result = kind === 'cpu' ? parseCpu(text) : parseMemory(text);
  if (!result.ok) throw new InputError(`${kind} "${text}" ${result.message}`);
  return result.quantity;
}

/** CPU quantity → millicores (`250m` → 250, `1` → 1000), rounded up. */
export function cpuMillis(quantity: string): number {
  return cpuMillicores(parsed('cpu', quantity));
}

/** Memory quantity → bytes (`64Mi` → 67108864). */
export function memoryBytes(quantity: string): number {
  return memoryBytesOf(parsed('memory', quantity));
}

export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Bytes → the largest binary unit that divides them exactly. */
export function formatMemory(bytes: number): string {
  for (const [unit, factor] of [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return String(bytes);
}
