import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { goModVersion, pulumiLayout, pulumiVersions } from '../../../ingest/src/deploy/pulumi-binaries';

describe('Pulumi binaries', () => {
  it('pins the CLI and the provider in their Go modules', async () => {
    await expect(Promise.resolve(pulumiVersions(pulumiLayout()))).resolves.toEqual({ cli: 'v3.248.0', provider: 'v4.25.0' });
  });

  it('pins the @pulumi/kubernetes SDK to the provider it runs with', async () => {
    const sdk = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).dependencies['@pulumi/kubernetes'];
    await expect(Promise.resolve(`v${sdk}`)).resolves.toBe(pulumiVersions(pulumiLayout()).provider);
  });

  it('reads a replaced version before a required one, and names a module it does not pin', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mysimbdp-gomod-'));
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module x\n\nrequire example.com/a v1.0.0\n\nreplace example.com/a => example.com/a v1.2.3\n');
    await expect(Promise.resolve(goModVersion(dir, 'example.com/a'))).resolves.toBe('v1.2.3');
    await expect(Promise.resolve().then(() => goModVersion(dir, 'example.com/b'))).rejects.toThrow(`${path.join(dir, 'go.mod')} does not pin example.com/b`);
  });
});
