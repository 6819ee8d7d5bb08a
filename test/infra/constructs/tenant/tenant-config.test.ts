import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TenantConfig } from '../../../../infra/constructs/tenant/tenant-config';
import type { Dataset } from '../../../../infra/tenant/types';
import { one, render, seedTenant, testSettings, thrownMessage } from '../../fixtures';

const settings = testSettings();

describe('TenantConfig', () => {
  it("holds the tenant's files verbatim", () => {
    const tenant = seedTenant('client_a');
    const cm = one(render((chart) => new TenantConfig(chart, 'c', { tenant, settings })), 'ConfigMap');
    expect(cm.metadata).toMatchObject({ name: 'client-a-tenant', namespace: 'mysimbdp-client-a' });
    expect(cm.data).toEqual({
      'agreement.json': fs.readFileSync(path.join(tenant.dir, 'agreement.json'), 'utf8'),
      'dataset.json': fs.readFileSync(path.join(tenant.dir, 'dataset.json'), 'utf8'),
    });
  });

  it('goes to another namespace on request (the platform copy)', () => {
    const cm = one(render((chart) => new TenantConfig(chart, 'c', { tenant: seedTenant('client_a'), settings, namespace: 'mysimbdp-platform' })), 'ConfigMap');
    expect(cm.metadata).toMatchObject({ name: 'client-a-tenant', namespace: 'mysimbdp-platform', labels: { 'mysimbdp.io/tenant': 'client_a' } });
  });

  it('keys datasets/<name>.json as datasets__<name>.json', () => {
    const base = seedTenant('client_a');
    const extra: Dataset = { ...base.datasets[0]!, name: 'more', file: path.join(base.dir, 'datasets', 'more.json'), stagingSubdir: 'more' };
    const tenant = { ...base, datasets: [...base.datasets, extra] };
    const files = new Map([['agreement.json', '{}'], ['dataset.json', '{"a":1}'], ['datasets/more.json', '{"b":2}']]);
    const cm = one(render((chart) => new TenantConfig(chart, 'c', { tenant, settings, files })), 'ConfigMap');
    expect(cm.data).toEqual({ 'agreement.json': '{}', 'dataset.json': '{"a":1}', 'datasets__more.json': '{"b":2}' });
  });

  it.each([
    [new Map([['agreement.json', '{}']]), 'tenant "client_a": files has no "dataset.json"'],
    [new Map([['agreement.json', 'x'.repeat(1024 * 1024)], ['dataset.json', '{}']]), 'tenant "client_a": tenant files total 1048578 bytes, over the ConfigMap limit of 1048576'],
  ])('refuses bad files (%#)', async (files, message) => {
    expect(thrownMessage(() => render((chart) => new TenantConfig(chart, 'c', { tenant: seedTenant('client_a'), settings, files })))).toBe(message);
  });

  it('names an unreadable file', () => {
    const tenant = { ...seedTenant('client_a'), dir: '/nonexistent/client_a' };
    const shifted = { ...tenant, agreement: { ...tenant.agreement, file: '/nonexistent/client_a/agreement.json' }, datasets: [] };
    expect(thrownMessage(() => render((chart) => new TenantConfig(chart, 'c', { tenant: shifted, settings })))).toBe(
      'tenant "client_a": cannot read /nonexistent/client_a/agreement.json: ENOENT',
    );
  });
});
