// Five-field cron as Kubernetes CronJobs accept it: minute hour day-of-month month day-of-week, with
// `*`, lists, ranges, steps, month and weekday names, and the @hourly-style macros.

export const CRON_MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface FieldDef {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly FieldDef[] = [
  { label: 'minute', min: 0, max: 59 },
  { label: 'hour', min: 0, max: 23 },
  { label: 'day of month', min: 1, max: 31 },
  { label: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  // 7 is Sunday too, as in Kubernetes (robfig/cron).
  { label: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

export interface CronSchedule {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number>;
  /** Day of month and day of week both restricted: a day matches when either does (cron's rule). */
  readonly domOrDow: boolean;
}

export type CronResult = { readonly ok: true; readonly schedule: CronSchedule } | { readonly ok: false; readonly message: string };

function parseValue(token: string, def: FieldDef): number | string {
  const named = def.names?.indexOf(token.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + (def.min === 1 ? 1 : 0) : /^\d+$/.test(token) ? Number(token) : NaN;
  if (Number.isNaN(value)) return `${def.label} "${token}" is not a number${def.names ? ' or name' : ''}`;
  if (value < def.min || value > def.max) return `${def.label} ${value} is out of range ${def.min}-${def.max}`;
  return value;
}

function parseField(text: string, def: FieldDef): Set<number> | string {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined || range === undefined || range === '') return `${def.label} "${part}" is malformed`;
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) return `${def.label} step "${stepText}" must be a positive integer`;
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = def.min;
      hi = def.max;
    } else {
      const bounds = range.split('-');
      if (bounds.length > 2 || bounds.some((b) => b === '')) return `${def.label} "${range}" is malformed`;
      const first = parseValue(bounds[0] as string, def);
      if (typeof first === 'string') return first;
      lo = first;
      if (bounds.length === 2) {
        const last = parseValue(bounds[1] as string, def);
        if (typeof last === 'string') return last;
        hi = last;
        if (lo > hi) return `${def.label} range "${range}" runs backwards`;
      } else {
        hi = stepText === undefined ? lo : def.max;
      }
    }
    for (let v = lo; v <= hi; v += step) values.add(def.label === 'day of week' && v === 7 ? 0 : v);
  }
  return values;
}

/** Parses a cron expression; the message says which field is wrong and why. */
export function parseCron(expression: string): CronResult {
  const trimmed = expression.trim();
  const expanded = trimmed.startsWith('@') ? CRON_MACROS[trimmed] : trimmed;
  if (expanded === undefined) return { ok: false, message: `unknown macro "${trimmed}" (use ${Object.keys(CRON_MACROS).join(', ')})` };
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) return { ok: false, message: `must have 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}` };
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const parsed = parseField(parts[i] as string, FIELDS[i] as FieldDef);
    if (typeof parsed === 'string') return { ok: false, message: parsed };
    sets.push(parsed);
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  return { ok: true, schedule: { minutes, hours, daysOfMonth, months, daysOfWeek, domOrDow: parts[2] !== '*' && parts[4] !== '*' } };
}

/** Whether the schedule fires in the minute of `date` (UTC, as CronJobs without timeZone do). */
export function cronMatches(schedule: CronSchedule, date: Date): boolean {
  if (!schedule.minutes.has(date.getUTCMinutes()) || !schedule.hours.has(date.getUTCHours()) || !schedule.months.has(date.getUTCMonth() + 1)) {
    return false;
  }
  const dom = schedule.daysOfMonth.has(date.getUTCDate());
  const dow = schedule.daysOfWeek.has(date.getUTCDay());
  return schedule.domOrDow ? dom || dow : dom && dow;
}

/** The first minute strictly after `from` at which the schedule fires (searches up to 5 years). */
export function nextCronTime(schedule: CronSchedule, from: Date): Date | undefined {
  const t = new Date(from.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  const limit = from.getTime() + 5 * 366 * 86_400_000;
  // Skip whole months, days and hours that cannot match instead of testing every minute.
  while (t.getTime() <= limit) {
    if (!schedule.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0);
    } else if (!cronMatches({ ...schedule, minutes: ALL_MINUTES, hours: ALL_HOURS }, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0);
    } else if (!schedule.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0);
    } else if (!schedule.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1);
    } else {
      return new Date(t.getTime());
    }
  }
  return undefined;
}

const ALL_MINUTES: ReadonlySet<number> = new Set(Array.from({ length: 60 }, (_, i) => i));
const ALL_HOURS: ReadonlySet<number> = new Set(Array.from({ length: 24 }, (_, i) => i));
