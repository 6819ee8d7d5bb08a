// Retention of a tenant's topics: days as a number or a numeric string (the seed writes "7"), kept
// as Kafka's retention.ms. Fractional days are fine (1.5 → 36 hours); Kafka needs at least 1 ms.

const DAY_MS = 86_400_000;
const NUMERIC = /^(\d+(\.\d+)?|\.\d+)$/;

export type RetentionResult = { readonly ok: true; readonly days: number; readonly ms: number } | { readonly ok: false; readonly message: string };

export function parseRetention(raw: number | string): RetentionResult {
  const days = typeof raw === 'number' ? raw : NUMERIC.test(raw.trim()) ? Number(raw) : NaN;
  const ms = Math.round(days * DAY_MS);
  if (!(days > 0) || !Number.isSafeInteger(ms) || ms < 1) {
    return { ok: false, message: 'must be a positive number of days (a number or a numeric string such as "7")' };
  }
  return { ok: true, days, ms };
}
