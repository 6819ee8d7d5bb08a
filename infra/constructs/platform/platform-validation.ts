// Prop checks shared by the platform constructs. Each throws a message naming the construct, the
// field and the offending value, so a bad stack setting is found from the message alone.
import { requestOverLimit } from '../../tenant/parse-resources';
import type { Resources } from '../../tenant/types';
import { isDnsLabel } from '../../tenant/rules/dns-name';

export function requireDnsLabel(construct: string, field: string, value: string): void {
  if (!isDnsLabel(value)) throw new Error(`${construct}: ${field} must be a DNS label (a-z, 0-9, '-', at most 63), got ${JSON.stringify(value)}`);
}

export function requireInteger(construct: string, field: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    throw new Error(`${construct}: ${field} must be an integer ${range}, got ${value}`);
  }
}

export function requireNonEmpty(construct: string, field: string, value: string): void {
  if (value.trim() === '') throw new Error(`${construct}: ${field} must not be empty`);
}

/** Each request within its limit (the quantities themselves are parsed by the contract's kernel). */
export function requireResources(construct: string, field: string, resources: Resources): void {
  const over = requestOverLimit(resources);
  if (over !== undefined) {
    throw new Error(`${construct}: ${field}.requests.${over} (${resources.requests[over]}) must not exceed ${field}.limits.${over} (${resources.limits[over]})`);
  }
}
