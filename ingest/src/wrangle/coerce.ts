import type { AvroPrimitive, FieldSpec } from '../../../infra/tenant/types';

/** A value that cannot become the field's type; `message` says what was expected. */
export class Invalid {
  constructor(readonly message: string) {}
}

/** Turns one value as read (text, or a JSON value) into its Avro wire value, or an Invalid. */
export type Coercer = (value: unknown) => unknown;

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
/** avsc encodes longs exactly only within ±2^52. */
const LONG_LIMIT = 4_503_599_627_370_496;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;
const DATE = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:$|[T ])/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** A timestamp without a zone is UTC. */
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;
const DAY_MS = 86_400_000;

/** A value as reasons quote it; never throws, though JSON.stringify overflows the stack on deep nesting. */
export const show = (value: unknown): string => {
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return `<${Array.isArray(value) ? 'array' : typeof value} too deeply nested to show>`;
  }
};

const bad = (value: unknown, expected: string): Invalid => new Invalid(`${show(value)} is not ${expected}`);

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMBER.test(value)) return Number(value);
  return undefined;
}

/** Calendar date `YYYY-MM-DD` (or `YYYY/MM/DD`, or the date part of an ISO timestamp) → its parts, if real. */
function dateParts(value: unknown): [number, number, number] | undefined {
  const m = typeof value === 'string' ? DATE.exec(value) : null;
  if (m === null) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = new Date(Date.UTC(y, mo - 1, d));
  return utc.getUTCFullYear() === y && utc.getUTCMonth() === mo - 1 && utc.getUTCDate() === d ? [y, mo, d] : undefined;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function timestampMillis(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  if (/^[+-]?\d+$/.test(value)) return Number(value);
  if (!DATE.test(value)) return undefined;
  const iso = value.replace(' ', 'T');
  const ms = Date.parse(HAS_ZONE.test(iso) || iso.length === 10 ? iso : `${iso}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Decimal text → two's complement big-endian unscaled bytes at `scale`, within `precision` digits. */
function decimalBytes(value: unknown, precision: number, scale: number): Buffer | Invalid {
  const text = typeof value === 'number' ? String(value) : value;
  const m = typeof text === 'string' ? DECIMAL.exec(text) : null;
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) return bad(value, `a decimal(${precision},${scale})`);
  const fraction = m[3] ?? '';
  if (fraction.replace(/0+$/, '').length > scale) return new Invalid(`${show(value)} has more than ${scale} decimal places`);
  const digits = `${m[2]}${fraction.padEnd(scale, '0').slice(0, scale)}`.replace(/^0+(?=\d)/, '');
  if (digits.length > precision) return new Invalid(`${show(value)} has more than ${precision} digits`);
  let unscaled = BigInt(digits === '' ? '0' : digits);
  if (m[1] === '-') unscaled = -unscaled;
  let hex = (unscaled < 0n ? -unscaled : unscaled).toString(16);
  // Room for the sign bit.
  hex = hex.length % 2 === 1 ? `0${hex}` : hex;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  if (unscaled < 0n) {
    // Two's complement: invert and add one.
    let carry = 1;
    for (let i = bytes.length - 1; i >= 0; i--) {
      const v = (~(bytes[i] as number) & 0xff) + carry;
      bytes[i] = v & 0xff;
      carry = v >> 8;
    }
  }
  return bytes;
}

/** Unscaled two's complement bytes → the decimal's value as a JS number (for range rules). */
export function decimalToNumber(bytes: Buffer, scale: number): number {
  if (bytes.length === 0) return 0;
  let n = BigInt(`0x${bytes.toString('hex')}`);
  if (((bytes[0] as number) & 0x80) !== 0) n -= 1n << BigInt(bytes.length * 8);
  return Number(n) / 10 ** scale;
}

/** Decimal `precision`/`scale` of a decimal field: the tenant model resolved them once. */
export function decimalOf(field: FieldSpec): { readonly precision: number; readonly scale: number } {
  if (field.decimal === undefined) throw new Error(`field "${field.name}" is not a decimal`);
  return field.decimal;
}

function primitive(type: AvroPrimitive): Coercer {
  switch (type) {
    case 'string':
      return (v) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : bad(v, 'a string'));
    case 'int':
      return (v) => {
        const n = toNumber(v);
        if (n === undefined || !Number.isInteger(n)) return bad(v, 'an int');
        return n < INT32_MIN || n > INT32_MAX ? new Invalid(`${show(v)} is outside the int range [${INT32_MIN}, ${INT32_MAX}]`) : n;
      };
    case 'long':
      return (v) => {
        const n = toNumber(v);
        if (n === undefined || !Number.isInteger(n)) return bad(v, 'a long');
        return Math.abs(n) > LONG_LIMIT ? new Invalid(`${show(v)} is outside the long range this runtime encodes exactly (±${LONG_LIMIT})`) : n;
      };
    case 'float':
    case 'double':
      return (v) => {
        const n = toNumber(v);
        return n === undefined || !Number.isFinite(n) ? bad(v, `a ${type}`) : n;
      };
    case 'boolean':
      return (v) => {
        if (typeof v === 'boolean') return v;
        const t = typeof v === 'string' ? v.toLowerCase() : typeof v === 'number' ? String(v) : '';
        if (t === 'true' || t === '1' || t === 'yes' || t === 'y' || t === 't') return true;
        if (t === 'false' || t === '0' || t === 'no' || t === 'n' || t === 'f') return false;
        return bad(v, 'a boolean (true/false, 1/0, yes/no)');
      };
    case 'bytes':
      return (v) => (typeof v === 'string' && v.length % 4 === 0 && BASE64.test(v) ? Buffer.from(v, 'base64') : bad(v, 'base64 bytes'));
  }
}

function withLogicalType(field: FieldSpec): Coercer {
  const base = primitive(field.avroType);
  switch (field.logicalType) {
    case 'date':
      if (field.avroType === 'string') {
        return (v) => {
          const p = dateParts(v);
          return p === undefined ? bad(v, 'a date (YYYY-MM-DD)') : `${pad(p[0], 4)}-${pad(p[1])}-${pad(p[2])}`;
        };
      }
      return (v) => {
        if (typeof v === 'number' || (typeof v === 'string' && /^[+-]?\d+$/.test(v))) return base(v);
        const p = dateParts(v);
        return p === undefined ? bad(v, 'a date (YYYY-MM-DD or days since 1970-01-01)') : Date.UTC(p[0], p[1] - 1, p[2]) / DAY_MS;
      };
    case 'timestamp-millis':
    case 'timestamp-micros': {
      const micros = field.logicalType === 'timestamp-micros';
      return (v) => {
        const ms = timestampMillis(v);
        if (ms === undefined) return bad(v, 'a timestamp (ISO 8601, or epoch ' + (micros ? 'microseconds)' : 'milliseconds)'));
        const isNumeric = typeof v === 'number' || /^[+-]?\d+$/.test(v as string);
        return base(micros && !isNumeric ? ms * 1000 : ms);
      };
    }
    case 'uuid':
      return (v) => (typeof v === 'string' && UUID.test(v) ? v.toLowerCase() : bad(v, 'a uuid'));
    case 'decimal': {
      const { precision, scale } = decimalOf(field);
      return (v) => decimalBytes(v, precision, scale);
    }
    case undefined:
      return base;
  }
}

/** Array/map fields: a JSON array/object (or its JSON text, from csv) whose items take the item type. */
function container(field: FieldSpec): Coercer {
  const item = primitive(field.itemType ?? 'string');
  const kind = field.container === 'array' ? 'an array' : 'an object';
  return (v) => {
    let parsed = v;
    if (typeof v === 'string') {
      try {
        parsed = JSON.parse(v);
      } catch {
        return bad(v, `${kind} (JSON)`);
      }
    }
    const ok = field.container === 'array' ? Array.isArray(parsed) : typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    if (!ok) return bad(v, kind);
    const entries = field.container === 'array' ? (parsed as unknown[]).map((x, i) => [i, x] as const) : Object.entries(parsed as object);
    const out: unknown[] | Record<string, unknown> = field.container === 'array' ? [] : {};
    for (const [k, x] of entries) {
      // Assigning it sets an object's prototype: it would vanish here, and where avsc decodes the map.
      if (k === '__proto__') return new Invalid('item "__proto__": is not a key a map can hold');
      const c = item(typeof x === 'string' ? x.trim() : x);
      if (c instanceof Invalid) return new Invalid(`item ${JSON.stringify(k)}: ${c.message}`);
      (out as Record<string | number, unknown>)[k] = c;
    }
    return out;
  };
}

/**
 * The coercer of one field: text is trimmed; a missing value, null, or an empty text becomes null
 * for a nullable field, the Avro default when there is one, '' for a plain string field, and an
 * Invalid otherwise; enum fields accept only their symbols.
 */
export function fieldCoercer(field: FieldSpec): Coercer {
  const typed = field.container !== undefined ? container(field) : withLogicalType(field);
  const symbols = field.symbols === undefined ? undefined : new Set(field.symbols);
  const plainString = field.avroType === 'string' && field.logicalType === undefined && field.container === undefined && symbols === undefined;
  const hasDefault = field.default !== undefined;
  const whenEmpty = (raw: unknown, empty: string | undefined): unknown => {
    if (field.nullable) return null;
    if (hasDefault) return field.default;
    if (plainString && empty !== undefined) return empty;
    return new Invalid(raw === undefined ? 'is missing' : `${show(raw)} is empty but the field is not nullable`);
  };
  return (raw) => {
    const v = typeof raw === 'string' ? raw.trim() : raw;
    if (v === undefined || v === null || v === '') return whenEmpty(raw, v === '' ? '' : undefined);
    const c = typed(v);
    if (symbols !== undefined && !(c instanceof Invalid) && !symbols.has(c as string)) {
      return new Invalid(`${show(v)} is not one of ${[...symbols].map((s) => JSON.stringify(s)).join(', ')}`);
    }
    return c;
  };
}
