import * as fs from 'node:fs';
import * as path from 'node:path';
import { nestsDeeperThan } from '../json-depth';
import { type ValidationIssue, TenantValidationError } from './issues';
import { parseAgreement } from './parse-agreement';
import { parseDataset } from './parse-dataset';
import { dnsName } from './rules/client-id';
import type { Dataset, Tenant } from './types';

export { TenantValidationError, formatIssue, type ValidationIssue } from './issues';

export interface LoadResult {
  /** Tenants whose files are all valid. */
  readonly tenants: Tenant[];
  /** Every problem of every tenant file, and of tenants against each other. */
  readonly issues: ValidationIssue[];
}

const TENANT_FILES = new Set(['agreement.json', 'dataset.json', 'datasets']);

/** Deepest nesting of arrays and objects a tenant file may have (a valid one needs 6). */
const MAX_DEPTH = 64;

/** Reads a JSON file; a syntax error becomes an issue with line and column. */
function readJson(file: string, issues: ValidationIssue[]): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    issues.push({ file, path: '', rule: 'readable', message: `cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
    return undefined;
  }
  try {
    const body = text.replace(/^\uFEFF/, '');
    const json: unknown = JSON.parse(body);
    if (!nestsDeeperThan(body, MAX_DEPTH)) return json;
    issues.push({ file, path: '', rule: 'json-depth', message: `nests arrays and objects deeper than ${MAX_DEPTH} levels` });
    return undefined;
  } catch (err) {
    const message = (err as Error).message;
    const position = /at position (\d+)/.exec(message);
    let where = '';
    if (position !== null) {
      const before = text.slice(0, Number(position[1]));
      const line = before.split('\n').length;
      where = ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
    }
    issues.push({ file, path: '', rule: 'json', message: `is not valid JSON${where}: ${message.replace(/ in JSON at position \d+.*$/, '')}` });
    return undefined;
  }
}

/** Loads one tenant folder; issues for anything wrong in it. */
function loadTenant(dir: string, folder: string, issues: ValidationIssue[]): Tenant | undefined {
  const before = issues.length;
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (!TENANT_FILES.has(entry.name) && !entry.name.startsWith('.') && !/^README/i.test(entry.name)) {
      issues.push({ file: path.join(dir, entry.name), path: '', rule: 'tenant-layout', message: 'is not a tenant file (expected agreement.json, dataset.json, datasets/<name>.json)' });
    }
  }
  const agreementFile = path.join(dir, 'agreement.json');
  if (!fs.existsSync(agreementFile)) {
    issues.push({ file: agreementFile, path: '', rule: 'tenant-layout', message: 'is missing: every tenant needs an agreement' });
    return undefined;
  }
  const agreementJson = readJson(agreementFile, issues);
  const { agreement, issues: agreementIssues } = agreementJson === undefined ? { issues: [] } : parseAgreement(agreementFile, folder, agreementJson);
  issues.push(...agreementIssues);

  const sources: { file: string; expectedName?: string }[] = [];
  const datasetFile = path.join(dir, 'dataset.json');
  if (fs.existsSync(datasetFile)) sources.push({ file: datasetFile });
  const datasetsDir = path.join(dir, 'datasets');
  if (fs.existsSync(datasetsDir)) {
    for (const name of fs.readdirSync(datasetsDir).sort()) {
      const file = path.join(datasetsDir, name);
      if (name.endsWith('.json')) sources.push({ file, expectedName: name.slice(0, -'.json'.length) });
      else if (!name.startsWith('.')) issues.push({ file, path: '', rule: 'tenant-layout', message: 'is not a dataset file (datasets/<name>.json)' });
    }
  }
  if (sources.length === 0) {
    issues.push({ file: datasetFile, path: '', rule: 'tenant-layout', message: 'is missing: a tenant needs dataset.json or datasets/<name>.json' });
  }
  const datasets: Dataset[] = [];
  const names = new Map<string, string>();
  for (const source of sources) {
    const json = readJson(source.file, issues);
    if (json === undefined) continue;
    const { dataset, issues: datasetIssues } = parseDataset({ ...source, client: folder }, json, agreement);
    issues.push(...datasetIssues);
    if (dataset === undefined) continue;
    const other = names.get(dataset.name);
    if (other !== undefined) issues.push({ file: source.file, path: 'name', rule: 'unique-dataset', message: `is also the name of ${other}`, value: dataset.name });
    names.set(dataset.name, source.file);
    datasets.push(dataset);
  }
  agreement?.connectors.forEach((c, i) => {
    if (c.dataset !== undefined && !names.has(c.dataset)) {
      issues.push({ file: agreementFile, path: `connectors[${i}].dataset`, rule: 'connector-dataset', message: 'names no dataset of this tenant', value: c.dataset });
    }
  });
  if (issues.length > before || agreement === undefined) return undefined;
  return { client: agreement.client, dnsName: dnsName(agreement.client), dir, agreement, datasets };
}

/** Checks across tenants: unique client ids, one tenant per keyspace, and Kafka topic metric names. */
function crossTenantIssues(tenants: readonly Tenant[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const clients = new Map<string, string>();
  const keyspaces = new Map<string, string>();
  const tables = new Map<string, string>();
  const metricNames = new Map<string, string>();
  for (const tenant of tenants) {
    const clientOwner = clients.get(tenant.client);
    if (clientOwner !== undefined) {
      issues.push({ file: tenant.agreement.file, path: 'client', rule: 'unique-client', message: `is also the client id of ${clientOwner}`, value: tenant.client });
    }
    clients.set(tenant.client, tenant.agreement.file);
    for (const dataset of tenant.datasets) {
      // A tenant's Cassandra role is granted per keyspace: a keyspace is one tenant's.
      const keyspaceOwner = keyspaces.get(dataset.keyspace);
      if (keyspaceOwner !== undefined && keyspaceOwner !== tenant.client) {
        issues.push({ file: dataset.file, path: 'key_space', rule: 'keyspace-owner', message: `is already the keyspace of tenant ${keyspaceOwner}; a keyspace belongs to one tenant`, value: dataset.keyspace });
      }
      keyspaces.set(dataset.keyspace, keyspaceOwner ?? tenant.client);
      const table = `${dataset.keyspace}.${dataset.table}`;
      const tableOwner = tables.get(table);
      if (tableOwner !== undefined) {
        issues.push({ file: dataset.file, path: 'schema.name', rule: 'unique-table', message: `key_space + table "${table}" is already used by ${tableOwner}`, value: dataset.table });
      }
      tables.set(table, dataset.file);
      // Kafka's metrics replace '.' with '_': two topics differing only there would share metrics.
      const metric = dataset.topics.main.replace(/\./g, '_');
      const metricOwner = metricNames.get(metric);
      if (metricOwner !== undefined) {
        issues.push({ file: dataset.file, path: 'name', rule: 'topic-collision', message: `topic "${dataset.topics.main}" collides with a topic of ${metricOwner} in Kafka metric names`, value: dataset.name });
      }
      metricNames.set(metric, dataset.file);
    }
  }
  return issues;
}

/** Loads and validates every tenant under `dir`, collecting all issues of all tenants. */
export function loadTenants(dir: string): LoadResult {
  const issues: ValidationIssue[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    return { tenants: [], issues: [{ file: dir, path: '', rule: 'readable', message: `cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }] };
  }
  const tenants: Tenant[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || /^README/i.test(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (!entry.isDirectory()) {
      issues.push({ file: full, path: '', rule: 'tenant-layout', message: 'is not a tenant folder (tenants live in <tenants>/<client>/)' });
      continue;
    }
    const tenant = loadTenant(full, entry.name, issues);
    if (tenant !== undefined) tenants.push(tenant);
  }
  issues.push(...crossTenantIssues(tenants));
  return { tenants, issues };
}

/** Loads all tenants, or throws a TenantValidationError carrying every issue. */
export function loadTenantsOrThrow(dir: string): Tenant[] {
  const { tenants, issues } = loadTenants(dir);
  if (issues.length > 0) throw new TenantValidationError(issues);
  return tenants;
}

/** The tenant with this client id; the message lists the known ones. */
export function findTenant(tenants: readonly Tenant[], client: string): Tenant {
  const tenant = tenants.find((t) => t.client === client);
  if (tenant === undefined) {
    throw new TenantValidationError([{ file: client, path: '', rule: 'known-tenant', message: `is not a known tenant (known: ${tenants.map((t) => t.client).join(', ') || 'none'})`, value: client }]);
  }
  return tenant;
}

/** The dataset named `name`, or the tenant's first dataset when no name is given. */
export function findDataset(tenant: Tenant, name?: string): Dataset {
  const dataset = name === undefined ? tenant.datasets[0] : tenant.datasets.find((d) => d.name === name);
  if (dataset === undefined) {
    throw new TenantValidationError([{ file: tenant.agreement.file, path: '', rule: 'known-dataset', message: `tenant ${tenant.client} has no dataset "${name}" (has: ${tenant.datasets.map((d) => d.name).join(', ')})`, value: name }]);
  }
  return dataset;
}
