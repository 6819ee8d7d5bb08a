import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditStaging } from '../../../ingest/src/fuzz/staging-audit';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'staging-audit-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const write = (rel: string): void => {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), 'x');
};

describe('auditStaging', () => {
  it("lists the tenant's files and finds none astray in a clean tree", async () => {
    write('client_a/in/day-1.csv');
    write('client_a/in/second/m.jsonl');
    fs.mkdirSync(path.join(root, 'client_a', 'in', '.upload'));
    fs.mkdirSync(path.join(root, 'client_b', 'in'), { recursive: true });
    await expect(auditStaging(root, 'client_a')).toEqual({ tenantFiles: ['client_a/in/day-1.csv', 'client_a/in/second/m.jsonl'], strays: [] });
  });

  it("finds files outside the tenant's folder, symbolic links among them, and files left in an upload folder", async () => {
    write('client_a/in/day-1.csv');
    write('client_a/in/.upload/0f.part');
    write('client_b/in/escape.csv');
    write('escape.csv');
    fs.symlinkSync('/etc', path.join(root, 'client_b', 'link'));
    await expect(auditStaging(root, 'client_a')).toEqual({
      tenantFiles: ['client_a/in/.upload/0f.part', 'client_a/in/day-1.csv'],
      strays: ['client_a/in/.upload/0f.part', 'client_b/in/escape.csv', 'client_b/link', 'escape.csv'],
    });
  });

  it('finds nothing in a tree without files', async () => {
    await expect(auditStaging(root, 'client_a')).toEqual({ tenantFiles: [], strays: [] });
  });
});
