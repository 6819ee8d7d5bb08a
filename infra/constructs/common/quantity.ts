import { InputError } from '../../../ingest/src/errors';

// Kubernetes quantities as numbers, so quotas can be summed and requests compared with limits.

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(m|Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const FACTOR: Readonly<Record<string, number>> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

function parse(quantity: string, what: string): number {
  const match = QUANTITY.exec(quantity);
  if (match === null) throw new InputError(`${what} "${quantity}" is not a Kubernetes quantity`);
  return Number(match[1]) * (FACTOR[match[2] ?? ''] ?? 1);
}

/** CPU quantity → millicores (`250m` → 250, `1` → 1000). Binary suffixes are not CPU. */
export function cpuMillis(quantity: string): number {
  if (/i$/.test(quantity)) throw new InputError(`cpu "${quantity}" is not a CPU quantity`);
  return Math.ceil(parse(quantity, 'cpu') * 1000);
}

/** Memory quantity → bytes (`64Mi` → 67108864). */
export function memoryBytes(quantity: string): number {
  if (quantity.endsWith('m')) throw new InputError(`memory "${quantity}" is not a memory quantity`);
  return Math.ceil(parse(quantity, 'memory'));
}

export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Bytes → the largest binary unit that divides them exactly. */
export function formatMemory(bytes: number): string {
  for (const unit of ['Ti', 'Gi', 'Mi', 'Ki'] as const) {
    const factor = FACTOR[unit] as number;
    if (bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return String(bytes);
}
