import { InputError } from '../../errors';

// Kubernetes resource quantities exactly as apimachinery's ParseQuantity reads them, with the CPU and
// memory meaning a Pod gives them. Refusals stricter than Kubernetes are marked `deliberate`.

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const NANO = 1_000_000_000n;
/** apimachinery caps binary-suffixed quantities at the largest int64. */
const MAX_BINARY_NANOS = (2n ** 63n - 1n) * NANO;

/** A parsed quantity: its text as written, and its exact value in nano-units (rounded up as apimachinery does). */
export class Quantity {
  private constructor(
    readonly text: string,
    readonly nanos: bigint,
    /** The suffix, e.g. `Mi`, `m`, `e3` or `` (none). */
    readonly suffix: string,
  ) {}

  /** Parses a quantity; a string says why it is not one. */
  static parse(text: string): Quantity | string {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?([eEinumkKMGTP]*(?:[+-]?\d+)?)$/.exec(text);
    if (text === '' || m === null) return `is not a Kubernetes quantity (a number with an optional suffix such as m, k, Mi, Gi or e3)`;
    const [, sign, whole, fraction = '', suffix = ''] = m as unknown as [string, string, string, string | undefined, string | undefined];
    let nanos: bigint;
    const digits = BigInt(`${whole}${fraction}` === '' ? '0' : `${whole}${fraction}`);
    const binary = BINARY_SUFFIXES[suffix];
    if (binary !== undefined) {
      nanos = ceilDiv(digits * 2n ** BigInt(binary) * NANO, 10n ** BigInt(fraction.length));
      if (nanos > MAX_BINARY_NANOS) nanos = MAX_BINARY_NANOS;
    } else {
      let exponent = DECIMAL_SUFFIXES[suffix];
      if (exponent === undefined) {
        const e = /^[eE]([+-]?\d+)$/.exec(suffix);
        if (e === null) return `has an unknown suffix "${suffix}" (use m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or e<exponent>)`;
        exponent = Number(e[1]);
        if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 2 ** 31) return `has an exponent out of range`;
      }
      const scale = exponent - fraction.length + 9;
      nanos = scale >= 0 ? digits * 10n ** BigInt(scale) : ceilDiv(digits, 10n ** BigInt(-scale));
    }
    return new Quantity(text, sign === '-' ? -nanos : nanos, suffix);
  }

  /** A CPU quantity written in code (a default, a constant); throws the contract's message when it is not one. */
  static cpu(text: string): Quantity {
    return orThrow('cpu', text, parseCpu(text));
  }

  /** A memory or storage quantity written in code; throws the contract's message when it is not one. */
  static memory(text: string): Quantity {
    return orThrow('memory', text, parseMemory(text));
  }

  /**
   * Σ quantity × count, exact (a quota's sum of pod limits), written back as Kubernetes writes such
   * values: whole cores or millicores for cpu (`3`, `2500m`), the largest exact binary unit for memory.
   */
  static total(kind: 'cpu' | 'memory', terms: readonly (readonly [Quantity, number])[]): Quantity {
    const nanos = terms.reduce((sum, [q, count]) => sum + q.nanos * BigInt(count), 0n);
    if (kind === 'cpu') {
      const millis = ceilDiv(nanos, MILLICORE_NANOS);
      return new Quantity(millis % 1000n === 0n ? `${millis / 1000n}` : `${millis}m`, millis * MILLICORE_NANOS, millis % 1000n === 0n ? '' : 'm');
    }
    const bytes = nanos / NANO;
    for (const [unit, power] of [['Ei', 60], ['Pi', 50], ['Ti', 40], ['Gi', 30], ['Mi', 20], ['Ki', 10]] as const) {
      const factor = 2n ** BigInt(power);
      if (bytes > 0n && bytes % factor === 0n) return new Quantity(`${bytes / factor}${unit}`, bytes * NANO, unit);
    }
    return new Quantity(`${bytes}`, bytes * NANO, '');
  }

  get isBinary(): boolean {
    return BINARY_SUFFIXES[this.suffix] !== undefined;
  }

  /** Whole millicores of a CPU quantity (rounded up, as the kubelet does). */
  get millicores(): number {
    return Number(ceilDiv(this.nanos, MILLICORE_NANOS));
  }

  /** Whole bytes of a memory quantity (parseMemory refuses fractions); exact up to 2^53 (8 PiB). */
  get bytes(): number {
    return Number(this.nanos / NANO);
  }

  compare(other: Quantity): number {
    return this.nanos < other.nanos ? -1 : this.nanos > other.nanos ? 1 : 0;
  }

  toString(): string {
    return this.text;
  }

  /** Serializes as written, so manifests and reports show the tenant's own text. */
  toJSON(): string {
    return this.text;
  }
}

/** Rounds away from zero, as apimachinery rounds sub-nano values up. */
function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

export type QuantityResult =
  | { readonly ok: true; readonly quantity: Quantity }
  /** `deliberate`: Kubernetes would accept it; the contract refuses it as almost certainly a mistake. */
  | { readonly ok: false; readonly message: string; readonly deliberate: boolean };

const MILLICORE_NANOS = 1_000_000n;
/** Bounds past any real node (sums for quotas are exact anyway: `Quantity.total` adds nano-units as BigInt). */
const MAX_CORES = 1_000_000n;
const MAX_MEMORY_BYTES = 2n ** 60n;

/** Whitespace that Go's strings.TrimSpace removes: the API server trims a quantity's JSON string so. */
const GO_SPACE_EDGES = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

function common(text: string): QuantityResult | Quantity {
  const q = Quantity.parse(text.replace(GO_SPACE_EDGES, ''));
  if (typeof q === 'string') return { ok: false, message: q, deliberate: false };
  if (q.nanos < 0n) return { ok: false, message: 'must not be negative', deliberate: false };
  if (q.nanos === 0n) return { ok: false, message: 'must be more than zero (a workload with none of it cannot run)', deliberate: true };
  return q;
}

/** A CPU quantity in cores ("2", "0.5", "500m"). */
export function parseCpu(text: string): QuantityResult {
  const q = common(text);
  if (!(q instanceof Quantity)) return q;
  if (q.isBinary) return { ok: false, message: `is in a byte unit (${q.suffix}); CPU is counted in cores, such as "1", "0.5" or "500m"`, deliberate: true };
  if (q.nanos < MILLICORE_NANOS) return { ok: false, message: 'must be at least 1m (one millicore)', deliberate: true };
  if (q.nanos > MAX_CORES * NANO) return { ok: false, message: `must be at most ${MAX_CORES} cores (no node has more)`, deliberate: true };
  return { ok: true, quantity: q };
}

/** A memory quantity in bytes ("128Mi", "1Gi", "512M"). */
export function parseMemory(text: string): QuantityResult {
  const q = common(text);
  if (!(q instanceof Quantity)) return q;
  if (q.nanos % NANO !== 0n) {
    const hint = q.suffix === 'm' ? `; "m" means millibytes — did you mean "${text.slice(0, -1)}Mi"?` : '';
    return { ok: false, message: `is a fractional number of bytes${hint}`, deliberate: true };
  }
  if (q.nanos > MAX_MEMORY_BYTES * NANO) return { ok: false, message: 'must be at most 1Ei (no node has more)', deliberate: true };
  return { ok: true, quantity: q };
}

function orThrow(kind: 'cpu' | 'memory', text: string, result: QuantityResult): Quantity {
  if (!result.ok) throw new InputError(`${kind} "${text}" ${result.message}`);
  return result.quantity;
}
