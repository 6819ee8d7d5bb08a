import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pulumiLayout, pulumiVersions } from '../../../ingest/src/deploy/pulumi-binaries';

describe('Pulumi binaries', () => {
  it('pins the CLI and the provider in their Go modules', async () => {
    await expect(Promise.resolve(pulumiVersions(pulumiLayout()))).resolves.toEqual({ cli: 'v3.248.0', provider: 'v4.25.0' });
  });

  it('pins the @pulumi/kubernetes SDK to the provider it runs with', async () => {
    const sdk = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).dependencies['@pulumi/kubernetes'];
    await expect(Promise.resolve(`v${sdk}`)).resolves.toBe(pulumiVersions(pulumiLayout()).provider);
  });
});
