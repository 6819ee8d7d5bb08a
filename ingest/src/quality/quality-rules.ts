import type { Dataset, FieldSpec, QualityRule } from '../../../infra/tenant/types';
import { decimalOf, decimalToNumber, show } from '../wrangle/coerce';

/** A rule a row failed: the rule's name, the field, the value and why. */
export interface QualityFailure {
  readonly rule: string;
  readonly field: string;
  readonly value: unknown;
  readonly reason: string;
}

/** Every rule a converted row fails (empty when it passes). */
export type QualityCheck = (row: Readonly<Record<string, unknown>>) => readonly QualityFailure[];

/** What a row that fails no rule gets: one shared empty list, not one per row. */
const NO_FAILURES: readonly QualityFailure[] = Object.freeze([]);

const DAY_MS = 86_400_000;

/** The value of a converted field as a number for range rules (decimals decoded), or undefined. */
function numeric(field: FieldSpec): (v: unknown) => number | undefined {
  if (field.logicalType === 'decimal') {
    const { scale } = decimalOf(field);
    return (v) => (Buffer.isBuffer(v) ? decimalToNumber(v, scale) : undefined);
  }
  return (v) => (typeof v === 'number' ? v : undefined);
}

/** Epoch milliseconds of a converted date/timestamp field, for timeliness rules. */
function epochMillis(field: FieldSpec): (v: unknown) => number | undefined {
  switch (field.logicalType) {
    case 'date':
      return field.avroType === 'string' ? (v) => (typeof v === 'string' ? Date.parse(v) : undefined) : (v) => (typeof v === 'number' ? v * DAY_MS : undefined);
    case 'timestamp-micros':
      return (v) => (typeof v === 'number' ? v / 1000 : undefined);
    default:
      return (v) => (typeof v === 'number' ? v : undefined);
  }
}

function compile(dataset: Dataset, rule: QualityRule, now: number): (row: Readonly<Record<string, unknown>>) => QualityFailure | undefined {
  const field = dataset.fields.find((f) => f.name === rule.field);
  if (field === undefined) throw new RangeError(`quality rule ${rule.name} names unknown field "${rule.field}"`);
  const name = field.name;
  const fail = (value: unknown, why: string): QualityFailure => ({ rule: rule.name, field: name, value, reason: `field "${name}": ${why} (rule ${rule.name})` });
  switch (rule.kind) {
    case 'required':
      return (row) => {
        const v = row[name];
        return v === null || v === undefined || v === '' ? fail(v ?? null, 'is required but empty') : undefined;
      };
    case 'range': {
      const num = numeric(field);
      return (row) => {
        const v = row[name];
        if (v === null || v === undefined) return undefined;
        const n = num(v);
        if (n === undefined) return fail(v, `${show(v)} is not a number`);
        if (rule.min !== undefined && n < rule.min) return fail(n, `${n} is below the minimum ${rule.min}`);
        if (rule.max !== undefined && n > rule.max) return fail(n, `${n} is above the maximum ${rule.max}`);
        return undefined;
      };
    }
    case 'pattern': {
      const re = new RegExp(rule.pattern ?? '');
      return (row) => {
        const v = row[name];
        if (v === null || v === undefined) return undefined;
        return re.test(String(v)) ? undefined : fail(v, `${show(v)} does not match /${rule.pattern}/`);
      };
    }
    case 'allowed': {
      const allowed = new Set((rule.values ?? []).map(String));
      const list = (rule.values ?? []).map((x) => JSON.stringify(x)).join(', ');
      return (row) => {
        const v = row[name];
        if (v === null || v === undefined) return undefined;
        return allowed.has(String(v)) ? undefined : fail(v, `${show(v)} is not one of ${list}`);
      };
    }
    case 'timeliness': {
      const millis = epochMillis(field);
      const maxAgeMs = (rule.maxAgeDays ?? 0) * DAY_MS;
      return (row) => {
        const v = row[name];
        if (v === null || v === undefined) return undefined;
        const ms = millis(v);
        if (ms === undefined || Number.isNaN(ms)) return fail(v, `${show(v)} is not a date or timestamp`);
        return now - ms > maxAgeMs ? fail(v, `${show(v)} is older than ${rule.maxAgeDays} days`) : undefined;
      };
    }
  }
}

/**
 * Compiles the dataset's quality rules against a fixed `now` (the file's start, so both passes of
 * a file judge timeliness alike). Null values pass every rule but `required`.
 */
export function compileQualityRules(dataset: Dataset, now: number): QualityCheck {
  const checks = dataset.qualityRules.map((r) => compile(dataset, r, now));
  if (checks.length === 0) return () => NO_FAILURES;
  return (row) => {
    let failures: QualityFailure[] | undefined;
    for (const check of checks) {
      const f = check(row);
      if (f !== undefined) (failures ??= []).push(f);
    }
    return failures ?? NO_FAILURES;
  };
}
