import type { Dataset, FieldSpec, QualityRule } from '../../../infra/tenant/types';

/** Kinds of bad rows `gen` mixes in; every kind but `duplicate` is rejected by the pipeline. */
export const BAD_KINDS = ['type', 'missing', 'date', 'quality', 'columns', 'syntax', 'duplicate'] as const;
export type BadKind = (typeof BAD_KINDS)[number];

/** One generated row: values by field (text, or numbers/booleans that jsonl keeps). */
export interface GeneratedRow {
  readonly values: Record<string, string | number | boolean | null>;
  readonly kind: 'good' | BadKind;
  /** `columns`: this field is left out (a short csv row, a jsonl object without the key). */
  readonly dropField?: string;
  /** `syntax`: the line is broken (a stray quote in csv, cut-off JSON). */
  readonly broken?: true;
}

/** Deterministic PRNG (mulberry32), so `--seed` reproduces a file. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROVINCES = ['HN', 'HCM', 'DN', 'HP', 'CT', 'QN', 'BD', 'KH'];
const MARKETS = ['US', 'UK', 'DE', 'FR', 'JP'];
const CATEGORIES = ['Books', 'Electronics', 'Toys', 'Home', 'Music', 'Video Games', 'Apparel'];
const WORDS = ['great', 'value', 'works', 'as', 'expected', 'broke', 'after', 'a', 'week', 'five', 'stars', 'love', 'it', 'would', 'buy', 'again', 'quality', 'poor', 'fast', 'shipping', 'the', 'battery', 'lasts', 'long'];
const DAY_MS = 86_400_000;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const sqlTime = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/**
 * Realistic rows for any dataset: values per field type and logical type, with name hints (ids,
 * codes, dates, ratings, free text with commas, quotes and line breaks), satisfying the dataset's
 * quality rules, with unique primary keys (the last key column carries the row number). Bad rows of
 * several kinds appear with probability `badRatio`.
 */
export class DataGenerator {
  private readonly random: () => number;
  private readonly keyFields: readonly string[];
  private readonly rules: ReadonlyMap<string, readonly QualityRule[]>;
  /** Recent good rows, the sources of duplicates. */
  private readonly recent: Record<string, string | number | boolean | null>[] = [];
  private readonly now: number;
  private n = 0;

  /** `lineBreaks: false` keeps every value on one line (for loaders that cannot read quoted line breaks, such as cqlsh COPY). */
  constructor(private readonly dataset: Dataset, private readonly badRatio: number, seed: number, now: number = Date.now(), private readonly lineBreaks = true) {
    if (!(badRatio >= 0 && badRatio <= 1)) throw new RangeError(`bad ratio must be between 0 and 1, got ${badRatio}`);
    this.random = prng(seed);
    this.now = now;
    this.keyFields = [...dataset.partitionKey, ...dataset.clusteringKey];
    const rules = new Map<string, QualityRule[]>();
    for (const r of dataset.qualityRules) rules.set(r.field, [...(rules.get(r.field) ?? []), r]);
    this.rules = rules;
  }

  next(): GeneratedRow {
    this.n++;
    const values: Record<string, string | number | boolean | null> = {};
    for (const f of this.dataset.fields) values[f.name] = this.value(f);
    const kind: GeneratedRow['kind'] = this.random() < this.badRatio ? this.pickBadKind() : 'good';
    if (kind === 'good') {
      this.remember(values);
      return { values, kind };
    }
    return this.spoil(kind, values);
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)] as T;
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  private remember(values: Record<string, string | number | boolean | null>): void {
    if (this.recent.length < 1000) this.recent.push(values);
    else this.recent[this.int(0, 999)] = values;
  }

  private pickBadKind(): BadKind {
    const candidates = BAD_KINDS.filter((k) => this.applies(k));
    return this.pick(candidates);
  }

  private applies(kind: BadKind): boolean {
    const fields = this.dataset.fields;
    switch (kind) {
      case 'type': return fields.some((f) => f.avroType !== 'string' && f.avroType !== 'bytes' && f.container === undefined);
      case 'missing': return fields.some((f) => !f.nullable && f.default === undefined && (f.avroType !== 'string' || this.keyFields.includes(f.name) || f.logicalType !== undefined));
      case 'date': return fields.some((f) => f.logicalType === 'date');
      case 'quality': return this.dataset.qualityRules.some((r) => r.kind === 'range' || r.kind === 'allowed' || r.kind === 'required');
      case 'duplicate': return this.recent.length > 0;
      case 'columns': return fields.some((f) => !f.nullable && f.default === undefined);
      case 'syntax': return true;
    }
  }

  private spoil(kind: BadKind, values: Record<string, string | number | boolean | null>): GeneratedRow {
    const fields = this.dataset.fields;
    switch (kind) {
      case 'type': {
        const f = this.pick(fields.filter((x) => x.avroType !== 'string' && x.avroType !== 'bytes' && x.container === undefined));
        values[f.name] = this.pick(['abc', 'n/a', '12x', '#VALUE!']);
        return { values, kind };
      }
      case 'missing': {
        const f = this.pick(fields.filter((x) => !x.nullable && x.default === undefined && (x.avroType !== 'string' || this.keyFields.includes(x.name) || x.logicalType !== undefined)));
        values[f.name] = '';
        return { values, kind };
      }
      case 'date': {
        const f = this.pick(fields.filter((x) => x.logicalType === 'date'));
        values[f.name] = this.pick(['2021-02-30', '2021-13-01', 'yesterday', '31/12/2020']);
        return { values, kind };
      }
      case 'quality': {
        const r = this.pick(this.dataset.qualityRules.filter((x) => x.kind === 'range' || x.kind === 'allowed' || x.kind === 'required'));
        if (r.kind === 'range') values[r.field] = r.max !== undefined ? r.max + 1 + this.int(0, 100) : (r.min ?? 0) - 1 - this.int(0, 100);
        else if (r.kind === 'allowed') values[r.field] = `not-${String(this.pick(r.values ?? ['x']))}`;
        else values[r.field] = '';
        return { values, kind };
      }
      case 'duplicate': {
        const source = this.pick(this.recent);
        for (const k of this.keyFields) values[k] = source[k] ?? null;
        return { values, kind };
      }
      case 'columns':
        return { values, kind, dropField: this.pick(fields.filter((x) => !x.nullable && x.default === undefined) ).name };
      case 'syntax':
        // Single-line values: the parser resumes on the next line, which must be the next row.
        for (const [k, v] of Object.entries(values)) if (typeof v === 'string') values[k] = v.replace(/[\r\n]+/g, ' ');
        return { values, kind, broken: true };
    }
  }

  /** A good value for the field (its quality rules hold; the last key column is unique per row). */
  private value(f: FieldSpec): string | number | boolean | null {
    const rules = this.rules.get(f.name) ?? [];
    const allowed = rules.find((r) => r.kind === 'allowed');
    if (allowed?.values !== undefined) return this.pick(allowed.values);
    const required = rules.some((r) => r.kind === 'required') || this.keyFields.includes(f.name);
    if (f.nullable && !required && this.random() < 0.1) return null;
    const unique = this.keyFields[this.keyFields.length - 1] === f.name;
    const range = rules.find((r) => r.kind === 'range');
    const maxAge = rules.find((r) => r.kind === 'timeliness')?.maxAgeDays ?? 3 * 365;
    const recentMs = this.now - Math.floor(this.random() * Math.min(maxAge, 3 * 365) * DAY_MS * 0.9);
    const name = f.name.toLowerCase();
    if (f.container === 'array') return JSON.stringify([this.int(1, 9), this.int(1, 9)]);
    if (f.container === 'map') return JSON.stringify({ a: this.int(1, 9) });
    if (f.symbols !== undefined) return this.pick(f.symbols);
    switch (f.logicalType) {
      case 'date': return isoDate(unique ? this.now - this.n * DAY_MS : recentMs);
      case 'timestamp-millis':
      case 'timestamp-micros': return new Date(unique ? this.now - this.n * 1000 : recentMs).toISOString();
      case 'uuid': {
        const h = (x: number, w: number): string => Math.floor(x).toString(16).padStart(w, '0').slice(-w);
        return `${h(this.n, 8)}-${h(this.random() * 0xffff, 4)}-4${h(this.random() * 0xfff, 3)}-a${h(this.random() * 0xfff, 3)}-${h(this.random() * 2 ** 48, 12)}`;
      }
      case 'decimal': return (this.random() * 1000).toFixed(2);
      default: break;
    }
    switch (f.avroType) {
      case 'int':
      case 'long': {
        if (unique) return this.n;
        const rating = name.includes('rating') || name.includes('star');
        const [lo, hi] = [range?.min ?? (rating ? 1 : 0), range?.max ?? (rating ? 5 : name.includes('vote') ? 50 : 1000)];
        return this.int(Math.ceil(lo), Math.floor(hi));
      }
      case 'float':
      case 'double': {
        const [lo, hi] = [range?.min ?? 0, range?.max ?? 1000];
        return Number((lo + this.random() * (hi - lo)).toFixed(3));
      }
      case 'boolean': return this.random() < 0.5;
      case 'bytes': return Buffer.from([this.int(0, 255), this.int(0, 255)]).toString('base64');
      case 'string': return this.text(name, unique, recentMs);
    }
  }

  private text(name: string, unique: boolean, recentMs: number): string {
    if (unique) return `${name.slice(0, 1).toUpperCase()}${pad(this.n, 9)}`;
    if (name.includes('province')) return this.pick(PROVINCES);
    if (name.includes('market')) return this.pick(MARKETS);
    if (name.includes('category')) return this.pick(CATEGORIES);
    if (name.includes('device')) return `DEV${pad(this.int(1, 5000), 5)}`;
    if (name === 'vine' || name.includes('verified')) return this.pick(['Y', 'N']);
    if (name.includes('date')) return isoDate(recentMs);
    if (name.includes('time')) return sqlTime(recentMs);
    if (name.endsWith('id') || name.endsWith('_parent')) return String(this.int(10_000_000, 99_999_999));
    const words = (n: number): string => Array.from({ length: n }, () => this.pick(WORDS)).join(' ');
    if (name.includes('body')) {
      // Free text exercising the csv quoting: commas, quotes, sometimes a line break.
      const extra = this.lineBreaks && this.random() < 0.1 ? '\nSecond line, "quoted".' : '';
      return `${words(this.int(5, 25))}, ${words(this.int(2, 8))}.${extra}`;
    }
    if (name.includes('title') || name.includes('headline')) return words(this.int(2, 6));
    return words(1);
  }
}
