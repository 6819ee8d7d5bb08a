// Writes real tenant folders into a temporary directory so tests go through the real loader
// (load-tenants.ts) instead of hand-built objects.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import type { Tenant } from '../../../infra/tenant/types';
import { writeTenantFolder } from '../../helpers/tenant-files';

/** A short random suffix for keyspace, topic and group names that must not collide across runs. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

export function agreementJson(client: string): Record<string, unknown> {
  return {
    client,
    data_retention_period_days: '1',
    schedule: '0 * * * *',
    resources: { requests: { memory: '64Mi', cpu: '250m' }, limits: { memory: '128Mi', cpu: '500m' } },
  };
}

/** Writes `<root>/<client>/{dataset,agreement}.json` (root created when missing) and returns root. */
export function writeTenantDir(root: string, client: string, dataset: Record<string, unknown>, agreement = agreementJson(client)): string {
  writeTenantFolder(root, client, { dataset, agreement });
  return root;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/** Loads one tenant from a fresh temporary tenants folder holding just this dataset. */
export function tenantFrom(client: string, dataset: Record<string, unknown>): Tenant {
  return findTenant(loadTenantsOrThrow(writeTenantDir(tempDir('tenants'), client, dataset)), client);
}

/** The seed tenants' dataset.json with another keyspace (tests must not touch the real ones). */
export function seedDataset(client: 'client_a' | 'client_b', keyspace: string): Record<string, unknown> {
  const json = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../tenants', client, 'dataset.json'), 'utf8')) as Record<string, unknown>;
  delete json.$schema;
  return { ...json, key_space: keyspace };
}
