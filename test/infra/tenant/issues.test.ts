import { describe, expect, it } from 'vitest';
import { ajvIssues, formatIssue, joinPath, TenantValidationError } from '../../../infra/tenant/issues';

describe('issues', () => {
  it('joins paths with dots, indexes and quoted odd keys', async () => {
    await expect(Promise.resolve([joinPath('', 'a'), joinPath('a', 'b'), joinPath('a', 2), joinPath('', 'csv.first.row.as.header')])).resolves.toEqual(['a', 'a.b', 'a[2]', '["csv.first.row.as.header"]']);
  });
  it('formats an issue with file, path, message, rule and value', async () => {
    await expect(Promise.resolve(formatIssue({ file: 'f.json', path: 'x.y', rule: 'r', message: 'is bad', value: 3 }))).resolves.toBe('f.json: x.y: is bad (rule r, value 3)');
    await expect(Promise.resolve(formatIssue({ file: 'f.json', path: '', rule: 'json', message: 'is not valid JSON' }))).resolves.toBe('f.json: (file): is not valid JSON (rule json)');
  });
  it('turns ajv errors into issues and drops if-keyword noise', async () => {
    const data = { resources: { limits: { cpu: 1 } } };
    await expect(Promise.resolve(ajvIssues('a.json', data, [
      { instancePath: '/resources/limits/cpu', keyword: 'type', params: { type: 'string' }, message: 'must be string', schemaPath: '' },
      { instancePath: '/resources/limits', keyword: 'required', params: { missingProperty: 'memory' }, schemaPath: '' },
      { instancePath: '', keyword: 'if', params: { failingKeyword: 'then' }, schemaPath: '' },
    ]))).resolves.toEqual([
      { file: 'a.json', path: 'resources.limits.cpu', rule: 'type', message: 'must be string', value: 1 },
      { file: 'a.json', path: 'resources.limits.memory', rule: 'required', message: 'is required' },
    ]);
  });
  it('TenantValidationError lists every issue in its message', async () => {
    const error = new TenantValidationError([{ file: 'a', path: 'p', rule: 'r', message: 'm' }, { file: 'b', path: '', rule: 'r2', message: 'm2' }]);
    await expect(Promise.resolve(error.message)).resolves.toBe('2 tenant validation errors:\na: p: m (rule r)\nb: (file): m2 (rule r2)');
  });
});
