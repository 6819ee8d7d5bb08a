// CronJob schedules exactly as Kubernetes accepts them: robfig/cron v3 `ParseStandard` (five fields
// or a descriptor) plus the API server's own rule against TZ in the schedule. Refusals stricter than
// Kubernetes are marked `deliberate` and each has its own message.

/** Days-in-month × weekday combinations repeat within this horizon (robfig/cron searches 5 years too). */
const HORIZON_YEARS = 5;

interface FieldDef {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES = Object.fromEntries(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((n, i) => [n, i + 1]));
const DOW_NAMES = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((n, i) => [n, i]));

const FIELDS: readonly FieldDef[] = [
  { label: 'minute', min: 0, max: 59 },
  { label: 'hour', min: 0, max: 23 },
  { label: 'day of month', min: 1, max: 31 },
  { label: 'month', min: 1, max: 12, names: MONTH_NAMES },
  { label: 'day of week', min: 0, max: 6, names: DOW_NAMES },
];

/** One field: the values it allows, and whether it was written as `*` or `?` (without a step above 1). */
export interface CronField {
  readonly values: ReadonlySet<number>;
  readonly star: boolean;
}

/** A parsed schedule: five fields, or `@every <duration>` (a constant delay). */
export type CronSchedule =
  | {
      readonly kind: 'fields';
      readonly minute: CronField;
      readonly hour: CronField;
      readonly dayOfMonth: CronField;
      readonly month: CronField;
      readonly dayOfWeek: CronField;
    }
  | { readonly kind: 'every'; readonly seconds: number };

/**
 * A tenant's batch schedule as parsed once: the expression as written (what the CronJob gets), the
 * IANA zone it runs in, and the fields the local scheduler computes fire times from.
 */
export class Schedule {
  private constructor(
    readonly expression: string,
    /** @default undefined: UTC */
    readonly timeZone: string | undefined,
    readonly spec: CronSchedule,
  ) {}

  /** A valid expression (and zone) as a Schedule; a string says why not. */
  static parse(expression: string, timeZone?: string): Schedule | string {
    const parsed = parseCron(expression);
    return parsed.ok ? new Schedule(expression, timeZone, parsed.schedule) : parsed.message;
  }

  /** The first fire time strictly after `from`, or undefined when none comes within five years. */
  next(from: Date): Date | undefined {
    return nextCronTime(this.spec, from, { timeZone: this.timeZone });
  }

  toString(): string {
    return this.timeZone === undefined ? this.expression : `${this.expression} (${this.timeZone})`;
  }
}

export type CronResult =
  | { readonly ok: true; readonly schedule: CronSchedule }
  /** `deliberate`: Kubernetes would accept it, the contract refuses it as almost certainly a mistake. */
  | { readonly ok: false; readonly message: string; readonly deliberate: boolean };

const refuse = (message: string, deliberate = false): CronResult => ({ ok: false, message, deliberate });

/** Whitespace as Go's strings.Fields sees it (unicode.IsSpace). */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

const DESCRIPTORS: Readonly<Record<string, readonly string[]>> = {
  '@yearly': ['0', '0', '1', '1', '*'],
  '@annually': ['0', '0', '1', '1', '*'],
  '@monthly': ['0', '0', '1', '*', '*'],
  '@weekly': ['0', '0', '*', '*', '0'],
  '@daily': ['0', '0', '*', '*', '*'],
  '@midnight': ['0', '0', '*', '*', '*'],
  '@hourly': ['0', '*', '*', '*', '*'],
};

/** Parses a CronJob schedule; the message names the field, the rule and the value. */
export function parseCron(expression: string): CronResult {
  if (expression.length === 0) return refuse('is empty');
  if (expression.includes('TZ')) return refuse('cannot use TZ or CRON_TZ in schedule (the API server refuses it; schedules run in UTC)');
  let schedule: CronSchedule;
  if (expression.startsWith('@')) {
    const every = /^@every (.*)$/s.exec(expression);
    if (every !== null) return parseEvery(every[1] as string);
    const fields = DESCRIPTORS[expression];
    if (fields === undefined) return refuse(`unrecognized descriptor "${expression}" (use ${Object.keys(DESCRIPTORS).join(', ')} or @every <duration>)`);
    schedule = fieldsSchedule(fields.map((f, i) => parseField(f, FIELDS[i] as FieldDef) as CronField));
  } else {
    const parts = expression.split(GO_SPACE).filter((p) => p !== '');
    if (parts.length !== 5) return refuse(`expected exactly 5 fields (minute hour day-of-month month day-of-week), found ${parts.length}`);
    const fields: CronField[] = [];
    for (let i = 0; i < 5; i++) {
      const field = parseField(parts[i] as string, FIELDS[i] as FieldDef);
      if (typeof field === 'string') return refuse(field);
      fields.push(field);
    }
    schedule = fieldsSchedule(fields);
  }
  if (nextCronTime(schedule, new Date(Date.UTC(2000, 0, 1)), { horizonYears: 28 }) === undefined) {
    // day/month combinations repeat every 28 years, so this is "never" for good
    return refuse('never fires: no date matches its day-of-month, month and day-of-week', true);
  }
  return { ok: true, schedule };
}

function fieldsSchedule(fields: readonly CronField[]): CronSchedule {
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [CronField, CronField, CronField, CronField, CronField];
  return { kind: 'fields', minute, hour, dayOfMonth, month, dayOfWeek };
}

/** A comma list of ranges; empty list items are skipped (as Go's strings.FieldsFunc does). */
function parseField(text: string, def: FieldDef): CronField | string {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(',').filter((p) => p !== '')) {
    const range = parseRange(part, def);
    if (typeof range === 'string') return range;
    for (const v of range.values) values.add(v);
    star ||= range.star;
  }
  return { values, star };
}

function parseRange(expr: string, def: FieldDef): CronField | string {
  const at = (why: string): string => `${def.label}: ${why} in "${expr}"`;
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] as string).split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    // robfig/cron ignores anything after a hyphen here: `*-5` is `*`
    start = def.min;
    end = def.max;
    star = true;
  } else {
    const low = parseIntOrName(lowAndHigh[0] as string, def);
    if (typeof low === 'string') return at(low);
    start = low;
    if (lowAndHigh.length > 2) return at('too many hyphens');
    if (lowAndHigh.length === 2) {
      const high = parseIntOrName(lowAndHigh[1] as string, def);
      if (typeof high === 'string') return at(high);
      end = high;
    } else {
      end = start;
    }
  }
  let step = 1;
  if (rangeAndStep.length > 2) return at('too many slashes');
  if (rangeAndStep.length === 2) {
    const parsed = parseUint(rangeAndStep[1] as string);
    if (typeof parsed === 'string') return at(`step ${parsed}`);
    step = parsed;
    if (lowAndHigh.length === 1) end = def.max;
    if (step > 1) star = false;
  }
  if (start < def.min) return at(`beginning of range (${start}) below minimum (${def.min})`);
  if (end > def.max) return at(`end of range (${end}) above maximum (${def.max})${def.label === 'day of week' && end === 7 ? ' (Sunday is 0)' : ''}`);
  if (start > end) return at(`beginning of range (${start}) beyond end of range (${end})`);
  if (step === 0) return at('step of range should be a positive number');
  const values = new Set<number>();
  for (let v = start; v <= end; v += step) values.add(v);
  return { values, star };
}

function parseIntOrName(token: string, def: FieldDef): number | string {
  const named = def.names?.[token.toLowerCase()];
  if (named !== undefined) return named;
  const value = parseUint(token);
  return typeof value === 'string' && def.names !== undefined ? `${value.replace(/is not a number$/, 'is not a number or name')}` : value;
}

/** Go's strconv.Atoi (an optional sign, then decimal digits), refusing negatives. */
function parseUint(token: string): number | string {
  if (!/^[+-]?\d+$/.test(token) || !Number.isSafeInteger(Number(token))) return `"${token}" is not a number`;
  const value = Number(token);
  if (value < 0) return `negative number (${value}) not allowed`;
  return value;
}

const NANOS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  'μs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX_DURATION = 2n ** 63n - 1n;

/** `@every <duration>` with Go's time.ParseDuration grammar: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`. */
function parseEvery(text: string): CronResult {
  const bad = refuse(`@every: "${text}" is not a duration such as 90s, 5m or 1h30m`);
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  let nanos = 0n;
  if (rest !== '0') {
    if (rest === '') return bad;
    const term = /^(\d*)(?:\.(\d*))?([^\d.]+)/;
    while (rest !== '') {
      const m = term.exec(rest);
      if (m === null || (m[1] === '' && (m[2] ?? '') === '')) return bad;
      const unit = NANOS[m[3] as string];
      if (unit === undefined) return bad;
      const fraction = m[2] ?? '';
      nanos += BigInt(m[1] === '' ? '0' : (m[1] as string)) * unit;
      if (fraction !== '') nanos += BigInt(Math.trunc(Number(`0.${fraction}`) * Number(unit)));
      if (nanos > MAX_DURATION) return bad;
      rest = rest.slice(m[0].length);
    }
  }
  // Kubernetes would run it every second (robfig/cron rounds below 1 s up and truncates to whole seconds)
  if (negative || nanos < 1_000_000_000n) return refuse(`@every ${text}: a duration under one second runs every second; use 1s or more`, true);
  if (nanos % 1_000_000_000n !== 0n) return refuse(`@every ${text}: Kubernetes truncates the duration to whole seconds; give whole seconds`, true);
  return { ok: true, schedule: { kind: 'every', seconds: Number(nanos / 1_000_000_000n) } };
}

type FieldsSchedule = Extract<CronSchedule, { kind: 'fields' }>;

/** robfig/cron's day rule: a `*` (or `?`) in either day field makes both have to match; else either does. */
function dayMatches(schedule: FieldsSchedule, dayOfMonth: number, dayOfWeek: number): boolean {
  const dom = schedule.dayOfMonth.values.has(dayOfMonth);
  const dow = schedule.dayOfWeek.values.has(dayOfWeek);
  return schedule.dayOfMonth.star || schedule.dayOfWeek.star ? dom && dow : dom || dow;
}

export interface NextOptions {
  /** Calendar years after `from`'s year to search before giving up. @default 5, as robfig/cron */
  readonly horizonYears?: number;
  /** IANA zone the fields are read in (CronJob spec.timeZone). @default UTC */
  readonly timeZone?: string;
}

/**
 * The first time strictly after `from` at which the schedule fires, or undefined when none comes
 * within the horizon. Five-field schedules follow robfig/cron v3's `SpecSchedule.Next` step by step,
 * Go's time.Date normalization in the zone included, so that DST changes (skipped or repeated wall
 * times, half-hour shifts) fire exactly as a CronJob with that spec.timeZone does.
 */
export function nextCronTime(schedule: CronSchedule, from: Date, options: NextOptions = {}): Date | undefined {
  if (schedule.kind === 'every') return new Date(Math.floor(from.getTime() / SECOND) * SECOND + schedule.seconds * SECOND);
  const zone = zoneOf(options.timeZone ?? 'UTC');
  let t = from.getTime() + SECOND - mod(from.getTime(), SECOND);
  let added = false;
  const yearLimit = zone.wall(t).year + (options.horizonYears ?? HORIZON_YEARS);
  wrap: for (;;) {
    if (zone.wall(t).year > yearLimit) return undefined;
    while (!schedule.month.values.has(zone.wall(t).month)) {
      if (!added) {
        added = true;
        const w = zone.wall(t);
        t = zone.date(w.year, w.month, 1, 0, 0, 0);
      }
      t = zone.addDate(t, 1, 0);
      if (zone.wall(t).month === 1) continue wrap;
    }
    while (!dayMatches(schedule, zone.wall(t).day, zone.wall(t).weekday)) {
      if (!added) {
        added = true;
        const w = zone.wall(t);
        t = zone.date(w.year, w.month, w.day, 0, 0, 0);
      }
      t = zone.addDate(t, 0, 1);
      // a DST change can move midnight: back to the day's start
      const hour = zone.wall(t).hour;
      if (hour !== 0) t += (hour > 12 ? 24 - hour : -hour) * HOUR;
      if (zone.wall(t).day === 1) continue wrap;
    }
    while (!schedule.hour.values.has(zone.wall(t).hour)) {
      if (!added) {
        added = true;
        const w = zone.wall(t);
        t = zone.date(w.year, w.month, w.day, w.hour, 0, 0);
      }
      t += HOUR;
      if (zone.wall(t).hour === 0) continue wrap;
    }
    while (!schedule.minute.values.has(zone.wall(t).minute)) {
      if (!added) {
        added = true;
        t -= mod(t, MINUTE);
      }
      t += MINUTE;
      if (zone.wall(t).minute === 0) continue wrap;
    }
    // the standard parser's seconds field is 0
    while (zone.wall(t).second !== 0) {
      if (!added) {
        added = true;
        t -= mod(t, SECOND);
      }
      t += SECOND;
      if (zone.wall(t).second === 0) continue wrap;
    }
    return new Date(t);
  }
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const mod = (a: number, b: number): number => ((a % b) + b) % b;

interface Wall {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  readonly day: number;
  /** 0 = Sunday */
  readonly weekday: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** Wall-clock arithmetic in one zone, as Go's time package does it. */
interface Zone {
  wall(t: number): Wall;
  /** Go's time.Date(y, m, d, h, mi, s, 0, loc): out-of-range fields normalized, a wall time a DST change skips or repeats resolved as Go resolves it. */
  date(year: number, month: number, day: number, hour: number, minute: number, second: number): number;
  /** Go's t.AddDate(0, months, days). */
  addDate(t: number, months: number, days: number): number;
}

const UTC_WALL = (t: number): Wall => {
  const d = new Date(t);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
};
const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const zones = new Map<string, Zone>();

function zoneOf(name: string): Zone {
  const known = zones.get(name);
  if (known !== undefined) return known;
  let zone: Zone;
  if (name === 'UTC') {
    zone = {
      wall: UTC_WALL,
      date: (y, mo, d, h, mi, s) => Date.UTC(y, mo - 1, d, h, mi, s),
      addDate: (t, months, days) => {
        const w = UTC_WALL(t);
        return Date.UTC(w.year, w.month - 1 + months, w.day + days, w.hour, w.minute, w.second);
      },
    };
  } else {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: name, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    const wall = (t: number): Wall => {
      const p = Object.fromEntries(format.formatToParts(t).map((part) => [part.type, part.value]));
      const year = p.era === 'BC' ? 1 - Number(p.year) : Number(p.year);
      return { year, month: Number(p.month), day: Number(p.day), weekday: WEEKDAYS[p.weekday as string] as number, hour: Number(p.hour), minute: Number(p.minute), second: Number(p.second) };
    };
    const offset = (t: number): number => {
      const w = wall(t);
      return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - (t - mod(t, SECOND));
    };
    const date = (y: number, mo: number, d: number, h: number, mi: number, s: number): number => {
      // Go: take the offset in force at the wall time read as UTC; if the result falls outside that
      // offset's period, take the offset in force at the result instead
      const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
      const first = offset(asUtc);
      const utc = asUtc - first;
      const second = offset(utc);
      return second === first ? utc : asUtc - second;
    };
    zone = {
      wall,
      date,
      addDate: (t, months, days) => {
        const w = wall(t);
        return date(w.year, w.month + months, w.day + days, w.hour, w.minute, w.second);
      },
    };
  }
  zones.set(name, zone);
  return zone;
}
