import type { ErrorObject } from 'ajv';

/** One problem in a tenant file: which file, where in it, which rule, and the offending value. */
export interface ValidationIssue {
  readonly file: string;
  /** Dotted JSON path (`resources.limits.cpu`, `schema.fields[2].type`); empty for the whole file. */
  readonly path: string;
  readonly rule: string;
  readonly message: string;
  readonly value?: unknown;
}

/** Thrown by loadTenantsOrThrow: carries every issue of every tenant, not just the first. */
export class TenantValidationError extends Error {
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    super(`${issues.length} tenant validation error${issues.length === 1 ? '' : 's'}:\n${issues.map(formatIssue).join('\n')}`);
    this.name = 'TenantValidationError';
    this.issues = issues;
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** Joins JSON path segments: identifiers with dots, indexes and other keys in brackets. */
export function joinPath(base: string, segment: string | number): string {
  if (typeof segment === 'number') return `${base}[${segment}]`;
  if (IDENTIFIER.test(segment)) return base === '' ? segment : `${base}.${segment}`;
  return `${base}[${JSON.stringify(segment)}]`;
}

/** `tenants/client_b/agreement.json: resources.limits.cpu: must be … (rule cpu-quantity, value "1Gi")` */
export function formatIssue(issue: ValidationIssue): string {
  const value = issue.value === undefined ? '' : `, value ${JSON.stringify(issue.value)}`;
  return `${issue.file}: ${issue.path === '' ? '(file)' : issue.path}: ${issue.message} (rule ${issue.rule}${value})`;
}

function pointerToPath(pointer: string): { path: string; segments: string[] } {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  return { path: segments.reduce<string>((p, s) => joinPath(p, /^\d+$/.test(s) ? Number(s) : s), ''), segments };
}

function valueAt(data: unknown, segments: readonly string[]): unknown {
  return segments.reduce<unknown>((v, s) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[s] : undefined), data);
}

/** Turns ajv errors into issues with dotted paths, the schema keyword as rule, and the value. */
export function ajvIssues(file: string, data: unknown, errors: readonly ErrorObject[] | null | undefined): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const error of errors ?? []) {
    if (error.keyword === 'if') continue; // its then/else branch reported the real problem
    const { path, segments } = pointerToPath(error.instancePath);
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'required') {
      issues.push({ file, path: joinPath(path, String(params.missingProperty)), rule: 'required', message: 'is required' });
    } else if (error.keyword === 'additionalProperties') {
      const key = String(params.additionalProperty);
      issues.push({ file, path: joinPath(path, key), rule: 'additionalProperties', message: 'is not a known property', value: valueAt(data, [...segments, key]) });
    } else {
      const message = error.keyword === 'enum' ? `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` : (error.message ?? 'is invalid');
      issues.push({ file, path, rule: error.keyword, message, value: valueAt(data, segments) });
    }
  }
  return issues;
}
