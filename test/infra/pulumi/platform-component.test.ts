import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { PlatformComponent } from '../../../infra/pulumi/platform-component';
import { synthesize } from '../../../infra/synth/synthesize';
import { seedTenants, testSettings } from '../fixtures';

// When each registration starts and ends: a resource that waits for another starts after it ends.
const events: string[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        events.push(`start ${args.name}`);
        // a slow Secret, so that only a real dependency orders the monitor after it
        if (args.name === 'platform-monitor-tokens') await new Promise((resolve) => setTimeout(resolve, 200));
        events.push(`end ${args.name}`);
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    'mysimbdp',
    'test',
    false,
  );
});

describe('PlatformComponent', () => {
  it('updates the monitor Deployment only once its tokens Secret is made, so a roll reads the new file', async () => {
    const settings = testSettings();
    const tenants = seedTenants();
    const secrets = { apiTokens: '{}', cassandraPassword: 'c', tenantPasswordSeed: 'seed' };
    const platform = new PlatformComponent('platform', { settings, objects: synthesize(tenants, settings).platform, secrets, tenants });
    await new Promise<void>((resolve) => pulumi.all(platform.resources.map((r) => r.urn)).apply(() => resolve()));
    await expect(events).toContain('start platform-deployment-mysimbdp-platform/mysimbdp-monitor');
    await expect(events.indexOf('start platform-deployment-mysimbdp-platform/mysimbdp-monitor')).toBeGreaterThan(events.indexOf('end platform-monitor-tokens'));
  });
});
