import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { changeGroup, renderDeploy, REQUIRED_SECRETS } from '../../../ingest/src/deploy/deploy-stack';

const urn = (qualifiedType: string, name: string): string => `urn:pulumi:local::mysimbdp::${qualifiedType}::${name}`;

describe('changeGroup', () => {
  it('groups a resource under its tenant, the platform or the operators by its parent component', async () => {
    const tenant = urn('mysimbdp:tenant:Tenant', 'client_a');
    await expect(Promise.resolve(changeGroup(urn('mysimbdp:tenant:Tenant$kubernetes:apps/v1:Deployment', 'client_a-deployment-x'), tenant))).resolves.toBe('client_a');
    await expect(Promise.resolve(changeGroup(tenant, undefined))).resolves.toBe('client_a');
    await expect(Promise.resolve(changeGroup(urn('mysimbdp:platform:Platform$kubernetes:core/v1:Namespace', 'platform-namespace-x'), urn('mysimbdp:platform:Platform', 'platform')))).resolves.toBe('platform');
    await expect(Promise.resolve(changeGroup(urn('mysimbdp:platform:Operators', 'operators'), undefined))).resolves.toBe('operators');
    await expect(Promise.resolve(changeGroup(urn('pulumi:pulumi:Stack', 'mysimbdp-local'), undefined))).resolves.toBe('stack');
  });
});

describe('renderDeploy', () => {
  it('says what changes per tenant, platform first, and counts the unchanged', async () => {
    const text = renderDeploy({
      stack: 'local',
      mode: 'preview',
      summary: { create: 2, same: 3 },
      elapsedMs: 4200,
      changes: [
        { op: 'create', type: 'kubernetes:apps/v1:Deployment', name: 'client_c-deployment-x', group: 'client_c' },
        { op: 'create', type: 'mysimbdp:tenant:Tenant', name: 'client_c', group: 'client_c' },
        { op: 'same', type: 'kubernetes:core/v1:Namespace', name: 'platform-namespace-x', group: 'platform' },
        { op: 'same', type: 'kubernetes:core/v1:Namespace', name: 'client_a-namespace-x', group: 'client_a' },
        { op: 'same', type: 'mysimbdp:tenant:Tenant', name: 'client_a', group: 'client_a' },
      ],
    });
    await expect(Promise.resolve(text)).resolves.toBe(
      [
        '### pulumi preview of stack `local`: 2 to create, 3 unchanged (4.2 s)',
        '',
        '#### platform — no changes (1 unchanged)',
        '',
        '#### client_a — no changes (2 unchanged)',
        '',
        '#### client_c',
        '- `+` create mysimbdp:tenant:Tenant `client_c`',
        '- `+` create kubernetes:apps/v1:Deployment `client_c-deployment-x`',
        '',
      ].join('\n'),
    );
  });
});

describe('stack files', () => {
  it('name the secret config every stack but local needs', async () => {
    const root = path.join(__dirname, '..', '..', '..');
    const stacks = fs.readdirSync(root).filter((f) => /^Pulumi\.(?!local\.)[\w-]+\.yaml$/.test(f));
    await expect(Promise.resolve(stacks.sort())).resolves.toEqual(['Pulumi.dev.yaml', 'Pulumi.prod.yaml']);
    for (const file of stacks) {
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      for (const key of REQUIRED_SECRETS) await expect(Promise.resolve(text)).resolves.toContain(`pulumi config set --secret mysimbdp:${key} `);
    }
  });
});

describe('renderDeploy after an update', () => {
  it('says what was done, in the order create, update, replace, delete, unchanged', async () => {
    const text = renderDeploy({ stack: 'local', mode: 'destroy', summary: { same: 1, delete: 70 }, elapsedMs: 8100, changes: [] });
    await expect(Promise.resolve(text)).resolves.toBe('### pulumi destroy of stack `local`: 70 deleted, 1 unchanged (8.1 s)\n');
  });
});
