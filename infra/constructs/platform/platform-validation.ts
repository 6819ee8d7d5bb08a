// Prop checks shared by the platform constructs. Each throws a message naming the construct, the
// field and the offending value, so a bad stack setting is found from the message alone.
import type { Resources } from '../../tenant/types';
import { isDnsLabel } from '../../tenant/rules/dns-name';

const QUANTITY = /^[+]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?\d+))?$/;
const CPU = /^(\d+(\.\d+)?|\d+m)$/;

export function requireDnsLabel(construct: string, field: string, value: string): void {
  if (!isDnsLabel(value)) throw new Error(`${construct}: ${field} must be a DNS label (a-z, 0-9, '-', at most 63), got ${JSON.stringify(value)}`);
}

export function requireInteger(construct: string, field: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    throw new Error(`${construct}: ${field} must be an integer ${range}, got ${value}`);
  }
}

export function requireQuantity(construct: string, field: string, value: string): void {
  if (!QUANTITY.test(value)) throw new Error(`${construct}: ${field} must be a Kubernetes quantity (e.g. 10Gi), got ${JSON.stringify(value)}`);
}

export function requireNonEmpty(construct: string, field: string, value: string): void {
  if (value.trim() === '') throw new Error(`${construct}: ${field} must not be empty`);
}

/** cpu as cores or millicores, memory as a quantity, for requests and limits. */
export function requireResources(construct: string, field: string, resources: Resources): void {
  for (const side of ['requests', 'limits'] as const) {
    const cpu = resources[side].cpu;
    if (!CPU.test(cpu)) throw new Error(`${construct}: ${field}.${side}.cpu must be a CPU quantity (e.g. 500m or 1), got ${JSON.stringify(cpu)}`);
    requireQuantity(construct, `${field}.${side}.memory`, resources[side].memory);
  }
}
