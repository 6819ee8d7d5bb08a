import * as fs from 'node:fs';
import * as path from 'node:path';
import { findDataset, findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { parseCommand } from '../args';
import { UsageError } from '../../../infra/errors';
import { writeGenerated } from '../gen/write-generated';
import { createLogger } from '../log';
import { Progress } from '../progress';
import { fileTypeOf } from '../readers/read-records';
import { intSetting } from '../settings';

/**
 * `mysimbdp gen` (flags: cli-commands.ts): realistic rows for the tenant's schema (format from FILE's extension), streamed to FILE; prints a
 * JSON summary (bad rows per kind, and the rows ok/rejected/deduplicated batch should report).
 */
export async function run(argv: readonly string[]): Promise<number> {
  const { flags } = parseCommand('gen', argv);
  const { client, out } = flags;
  const rows = intSetting(flags.rows, '--rows', 0);
  const badRatio = Number(flags['bad-ratio']);
  if (!(badRatio >= 0 && badRatio <= 1)) throw new UsageError(`--bad-ratio must be a number between 0 and 1, got "${flags['bad-ratio']}"`);
  const seed = intSetting(flags.seed, '--seed', 0);
  const intervalMs = intSetting(flags['progress-seconds'], '--progress-seconds', 0) * 1000;
  const type = fileTypeOf(out);
  if (type === undefined) throw new UsageError(`--out must end in .csv, .tsv or .jsonl, got "${out}"`);
  const tenant = findTenant(loadTenantsOrThrow(flags.tenants), client);
  const dataset = findDataset(tenant, flags.dataset);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const progress = new Progress({ label: path.basename(out), fields: { file: out }, totalRows: rows, intervalMs, logger: createLogger({ command: 'gen', tenant: client, dataset: dataset.name }) });
  const summary = await writeGenerated(dataset, out, { rows, type, badRatio, seed, progress });
  process.stdout.write(`${JSON.stringify({ client, dataset: dataset.name, file: out, ...summary })}\n`);
  return 0;
}
