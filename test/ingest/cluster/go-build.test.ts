import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { goModVersion } from '../../../ingest/src/cluster/go-build';

describe('goModVersion', () => {
  it('reads a replaced version before a required one, and names a module it does not pin', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mysimbdp-gomod-'));
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module x\n\nrequire example.com/a v1.0.0\n\nreplace example.com/a => example.com/a v1.2.3\n');
    await expect(Promise.resolve(goModVersion(dir, 'example.com/a'))).resolves.toBe('v1.2.3');
    await expect(Promise.resolve().then(() => goModVersion(dir, 'example.com/b'))).rejects.toThrow(`${path.join(dir, 'go.mod')} does not pin example.com/b`);
  });
});
