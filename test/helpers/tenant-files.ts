import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

type Json = Record<string, unknown>;

export interface TenantFiles {
  readonly agreement?: Json;
  readonly dataset?: Json;
  readonly datasets?: Readonly<Record<string, Json>>;
  /** Raw text files, relative to the tenant folder (for JSON syntax and layout tests). */
  readonly raw?: Readonly<Record<string, string>>;
}

const read = (client: string, kind: string): Json =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'tenants', client, `${kind}.json`), 'utf8')) as Json;

/** Fresh copies of the repository's seed tenants' files, for tests to change. */
export const seed = {
  agreementA: (): Json => read('client_a', 'agreement'),
  datasetA: (): Json => read('client_a', 'dataset'),
  agreementB: (): Json => read('client_b', 'agreement'),
  datasetB: (): Json => read('client_b', 'dataset'),
};

/** Writes one tenant folder `<root>/<folder>/` (root created when missing). */
export function writeTenantFolder(root: string, folder: string, files: TenantFiles): void {
  const dir = path.join(root, folder);
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  fs.mkdirSync(dir, { recursive: true });
  if (files.agreement) write('agreement.json', JSON.stringify(files.agreement, null, 2));
  if (files.dataset) write('dataset.json', JSON.stringify(files.dataset, null, 2));
  for (const [name, json] of Object.entries(files.datasets ?? {})) write(`datasets/${name}.json`, JSON.stringify(json, null, 2));
  for (const [rel, text] of Object.entries(files.raw ?? {})) write(rel, text);
}

/** Writes tenant folders into a new temporary tenants directory and returns its path. */
export function writeTenants(tenants: Readonly<Record<string, TenantFiles>>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mysimbdp-tenants-'));
  for (const [folder, files] of Object.entries(tenants)) writeTenantFolder(root, folder, files);
  return root;
}

/** A valid single-tenant directory: client_a with its seed files, after `change` edits copies of them. */
export function clientA(change: (agreement: Json, dataset: Json) => void = () => undefined): string {
  const agreement = seed.agreementA();
  const dataset = seed.datasetA();
  change(agreement, dataset);
  return writeTenants({ client_a: { agreement, dataset } });
}
