// Kubernetes resource quantities, checked per resource: a CPU is a count of cores ("2", "0.5",
// "500m"); memory is bytes with an optional decimal or binary suffix ("128Mi", "1G", "512000").

const CPU = /^(?:(\d+)m|(\d+(?:\.\d+)?|\.\d+))$/;
const MEMORY = /^(\d+(?:\.\d+)?|\.\d+)(?:e(\d+))?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const MEMORY_FACTORS: Record<string, number> = {
  '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

export type QuantityResult = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };

/** Parses a CPU quantity into cores. */
export function parseCpu(raw: string): QuantityResult {
  const m = CPU.exec(raw);
  if (m === null) return { ok: false, message: 'must be a CPU quantity in cores, such as "2", "0.5" or "500m"' };
  const cores = m[1] !== undefined ? Number(m[1]) / 1000 : Number(m[2]);
  // Kubernetes rounds below 1m up; a zero or sub-millicore CPU is always a mistake in an agreement.
  if (cores < 0.001) return { ok: false, message: 'must be at least 1m (one millicore)' };
  return { ok: true, value: cores };
}

/** Parses a memory quantity into bytes. */
export function parseMemory(raw: string): QuantityResult {
  if (/^\d+(?:\.\d+)?m$/.test(raw)) {
    return { ok: false, message: `must be a memory quantity in bytes; "${raw}" means millibytes — did you mean "${raw.slice(0, -1)}Mi"?` };
  }
  const m = MEMORY.exec(raw);
  if (m === null) return { ok: false, message: 'must be a memory quantity such as "128Mi", "1Gi" or "512M"' };
  const bytes = Number(m[1]) * 10 ** Number(m[2] ?? 0) * (MEMORY_FACTORS[m[3] ?? ''] ?? 1);
  if (bytes < 1) return { ok: false, message: 'must be at least one byte' };
  return { ok: true, value: bytes };
}
