import { joinPath, type ValidationIssue } from './issues';
import { parseCpu, parseMemory, type Quantity } from './rules/quantity';
import type { Resources } from './types';

/** Checks quantities and requests ≤ limits of an (ajv-checked) `resources` object at `base`. */
export function resourceIssues(file: string, base: string, resources: Resources): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const parsed: Record<string, Quantity | undefined> = {};
  for (const side of ['requests', 'limits'] as const) {
    for (const [kind, parse] of [['cpu', parseCpu], ['memory', parseMemory]] as const) {
      const raw = resources[side]?.[kind];
      if (typeof raw !== 'string') continue;
      const result = parse(raw);
      const path = joinPath(joinPath(base, side), kind);
      if (result.ok) parsed[`${side}.${kind}`] = result.quantity;
      else issues.push({ file, path, rule: result.deliberate ? `${kind}-mistake` : `${kind}-quantity`, message: result.message, value: raw });
    }
  }
  for (const kind of ['cpu', 'memory'] as const) {
    const request = parsed[`requests.${kind}`];
    const limit = parsed[`limits.${kind}`];
    if (request !== undefined && limit !== undefined && request.compare(limit) > 0) {
      issues.push({
        file,
        path: joinPath(joinPath(base, 'requests'), kind),
        rule: 'request-within-limit',
        message: `must not exceed limits.${kind} (${resources.limits[kind]})`,
        value: resources.requests[kind],
      });
    }
  }
  return issues;
}
