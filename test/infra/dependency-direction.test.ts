import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli';

// The runtime (ingest/) may use the tenant model and the error base in infra/; infra/ never uses the runtime.

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('dependency direction', () => {
  it('no module of infra/ imports from ingest/', async () => {
    const offenders = tsFiles(path.join(REPO_ROOT, 'infra')).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/(?:from |require\(|import\()'([^']+)'/g)]
        .map((m) => path.resolve(path.dirname(file), m[1] as string))
        .filter((target) => target.startsWith(path.join(REPO_ROOT, 'ingest') + path.sep))
        .map((target) => `${path.relative(REPO_ROOT, file)} → ${path.relative(REPO_ROOT, target)}`),
    );
    await expect(Promise.resolve(offenders)).resolves.toEqual([]);
  });
});
