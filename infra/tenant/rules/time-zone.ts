// The time zone of a tenant's schedules (agreement `time_zone`), checked as the API server checks
// CronJob spec.timeZone: an explicit IANA name that Go's time.LoadLocation knows, case included.

export type TimeZoneResult = { readonly ok: true; readonly timeZone: string } | { readonly ok: false; readonly message: string };

/** The IANA zone name Node's ICU resolves `name` to, or undefined when it knows none. */
function resolved(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

export function parseTimeZone(name: string): TimeZoneResult {
  if (name === '' || name.toLowerCase() === 'local') {
    return { ok: false, message: 'must be an explicit IANA time zone such as "Europe/Helsinki" or "UTC"' };
  }
  const canonical = resolved(name);
  if (canonical === undefined) return { ok: false, message: 'is not an IANA time zone (such as "Europe/Helsinki" or "UTC")' };
  // ICU matches names in any case; Kubernetes (Go's tzdata) only in their own, where every segment starts upper-case
  const wrongCase = canonical !== name && (canonical.toLowerCase() === name.toLowerCase() || name.split('/').some((part) => !/^[A-Z]/.test(part)));
  if (wrongCase) return { ok: false, message: `is not an IANA time zone in its own case${canonical.toLowerCase() === name.toLowerCase() ? ` (did you mean "${canonical}"?)` : ''}` };
  return { ok: true, timeZone: name };
}
