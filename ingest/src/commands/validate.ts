import { parseCommand } from '../args';
import { UsageError } from '../../../infra/errors';
import { GitRefError, tenantsAtRef } from '../../../infra/tenant/git-base';
import { formatIssue, loadTenants, type ValidationIssue } from '../../../infra/tenant/load-tenants';
import { evolutionAgainst, type DatasetEvolution } from '../../../infra/cql/tenant-evolution';

/** `mysimbdp validate` (flags: cli-commands.ts): exit 0 valid, 1 invalid. */
export async function run(argv: readonly string[]): Promise<number> {
  const { flags } = parseCommand('validate', argv);
  const { format, tenants: dir } = flags;
  const { tenants, issues } = loadTenants(dir);
  const all: ValidationIssue[] = [...issues];
  let evolution: DatasetEvolution[] = [];
  if (flags.base !== undefined) {
    let base;
    try {
      base = tenantsAtRef(flags.base, dir);
    } catch (err) {
      if (err instanceof GitRefError) throw new UsageError(err.message);
      throw err;
    }
    try {
      const previous = loadTenants(base.dir).tenants;
      evolution = evolutionAgainst(previous, tenants);
      all.push(...evolution.flatMap((e) => e.refusals.map((message) => ({ file: e.file, path: 'schema', rule: 'schema-evolution', message }))));
    } finally {
      base.dispose();
    }
  }
  const valid = all.length === 0;
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({
      valid,
      tenants: tenants.map((t) => ({ client: t.client, datasets: t.datasets.map((d) => d.name) })),
      issues: all,
      evolution: evolution.map((e) => ({ client: e.client, dataset: e.dataset, statements: e.statements })),
    }, null, 2)}\n`);
  } else {
    for (const issue of all) process.stderr.write(`${formatIssue(issue)}\n`);
    for (const e of evolution) for (const s of e.statements) process.stdout.write(`${e.client}/${e.dataset}: schema change: ${s}\n`);
    process.stdout.write(valid
      ? `${tenants.length} tenant${tenants.length === 1 ? '' : 's'} valid: ${tenants.map((t) => `${t.client} (${t.datasets.map((d) => d.name).join(', ')})`).join(', ')}\n`
      : `${all.length} error${all.length === 1 ? '' : 's'} in ${dir}\n`);
  }
  return valid ? 0 : 1;
}
