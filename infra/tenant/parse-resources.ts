import { joinPath, type ValidationIssue } from './issues';
import { parseCpu, parseMemory, type Quantity } from './rules/quantity';
import type { ResourceQuantities, Resources } from './types';

/** `resources` as written in a tenant file (shape already checked by the JSON schema). */
export interface RawResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** The first resource whose request exceeds its limit, if any (Kubernetes refuses such a container). */
export function requestOverLimit(resources: Resources): 'cpu' | 'memory' | undefined {
  return (['cpu', 'memory'] as const).find((kind) => resources.requests[kind].compare(resources.limits[kind]) > 0);
}

/** Parses the quantities of an (ajv-checked) `resources` object at `base` and checks requests ≤ limits. */
export function parseResources(file: string, base: string, raw: RawResources): { resources?: Resources; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const parsed: Partial<Record<`${'requests' | 'limits'}.${'cpu' | 'memory'}`, Quantity>> = {};
  for (const side of ['requests', 'limits'] as const) {
    for (const [kind, parse] of [['cpu', parseCpu], ['memory', parseMemory]] as const) {
      const text = raw[side]?.[kind];
      if (typeof text !== 'string') continue;
      const result = parse(text);
      const path = joinPath(joinPath(base, side), kind);
      if (result.ok) parsed[`${side}.${kind}`] = result.quantity;
      else issues.push({ file, path, rule: result.deliberate ? `${kind}-mistake` : `${kind}-quantity`, message: result.message, value: text });
    }
  }
  for (const kind of ['cpu', 'memory'] as const) {
    const request = parsed[`requests.${kind}`];
    const limit = parsed[`limits.${kind}`];
    if (request !== undefined && limit !== undefined && request.compare(limit) > 0) {
      issues.push({ file, path: joinPath(joinPath(base, 'requests'), kind), rule: 'request-within-limit', message: `must not exceed limits.${kind} (${limit.text})`, value: request.text });
    }
  }
  const side = (s: 'requests' | 'limits'): ResourceQuantities | undefined => {
    const cpu = parsed[`${s}.cpu`];
    const memory = parsed[`${s}.memory`];
    return cpu === undefined || memory === undefined ? undefined : { cpu, memory };
  };
  const requests = side('requests');
  const limits = side('limits');
  return issues.length === 0 && requests !== undefined && limits !== undefined ? { resources: { requests, limits }, issues } : { issues };
}
