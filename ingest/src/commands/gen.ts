import * as fs from 'node:fs';
import * as path from 'node:path';
import { findDataset, findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { parseFlags } from '../args';
import { UsageError } from '../../../infra/errors';
import { writeGenerated } from '../gen/write-generated';
import { fileTypeOf } from '../readers/read-records';
import { DEFAULTS, intSetting, requiredSetting, setting } from '../settings';

/**
 * `mysimbdp gen --client ID --rows N --out FILE [--bad-ratio R] [--dataset NAME] [--seed S] [--tenants DIR]`:
 * realistic rows for the tenant's schema (format from FILE's extension), streamed to FILE; prints a
 * JSON summary (bad rows per kind, and the rows ok/rejected/deduplicated batch should report).
 */
export async function run(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, {
    client: { type: 'string' },
    rows: { type: 'string' },
    out: { type: 'string' },
    'bad-ratio': { type: 'string' },
    dataset: { type: 'string' },
    seed: { type: 'string' },
    tenants: { type: 'string' },
  });
  const client = requiredSetting(flags.client, 'client', 'CLIENT_ID');
  const out = requiredSetting(flags.out, 'out', 'GEN_OUT');
  const rows = intSetting(requiredSetting(flags.rows, 'rows', 'GEN_ROWS'), '--rows', 0);
  const badRatio = Number(flags['bad-ratio'] ?? '0');
  if (!(badRatio >= 0 && badRatio <= 1)) throw new UsageError(`--bad-ratio must be a number between 0 and 1, got "${flags['bad-ratio']}"`);
  const seed = intSetting(flags.seed ?? '1', '--seed', 0);
  const type = fileTypeOf(out);
  if (type === undefined) throw new UsageError(`--out must end in .csv, .tsv or .jsonl, got "${out}"`);
  const tenant = findTenant(loadTenantsOrThrow(setting(flags.tenants, 'TENANTS_DIR', DEFAULTS.tenantsDir)), client);
  const dataset = findDataset(tenant, flags.dataset);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const summary = await writeGenerated(dataset, out, { rows, type, badRatio, seed });
  process.stdout.write(`${JSON.stringify({ client, dataset: dataset.name, file: out, ...summary })}\n`);
  return 0;
}
