import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientA, seed } from '../../helpers/tenant-files';
import { runCli } from '../../helpers/cli';
import { gitRepo } from '../../helpers/git-repo';

describe('mysimbdp validate', () => {
  it('accepts the repository tenants (exit 0)', async () => {
    await expect(Promise.resolve(runCli(['validate']))).resolves.toEqual({
      code: 0, stderr: '', stdout: '2 tenants valid: client_a (speed-tracking-data), client_b (amazon-product-review-data)\n',
    });
  });

  it("rejects the seed's verbatim client_b (exit 1), naming agreement.json and resources.limits.cpu", async () => {
    await expect(Promise.resolve(runCli(['validate', '--tenants', 'test/fixtures/tenants-seed-verbatim']))).resolves.toEqual({
      code: 1,
      stderr: 'test/fixtures/tenants-seed-verbatim/client_b/agreement.json: resources.limits.cpu: is in a byte unit (Gi); CPU is counted in cores, such as "1", "0.5" or "500m" (rule cpu-mistake, value "1Gi")\n',
      stdout: '1 error in test/fixtures/tenants-seed-verbatim\n',
    });
  });

  it('reports as JSON with --format json; TENANTS_DIR is read when --tenants is absent', async () => {
    const result = runCli(['validate', '--format', 'json'], { env: { TENANTS_DIR: 'test/fixtures/tenants-seed-verbatim' } });
    await expect(Promise.resolve(result.code)).resolves.toBe(1);
    await expect(Promise.resolve(JSON.parse(result.stdout))).resolves.toEqual({
      valid: false, tenants: [], evolution: [],
      issues: [{ file: 'test/fixtures/tenants-seed-verbatim/client_b/agreement.json', path: 'resources.limits.cpu', rule: 'cpu-mistake', message: 'is in a byte unit (Gi); CPU is counted in cores, such as "1", "0.5" or "500m"', value: '1Gi' }],
    });
  });

  it('exits 2 on a usage error', async () => {
    await expect(Promise.resolve(runCli(['validate', '--format', 'xml']))).resolves.toEqual({ code: 2, stdout: '', stderr: 'mysimbdp validate: --format must be text or json, got "xml"\nrun "mysimbdp validate --help"\n' });
    await expect(Promise.resolve(runCli(['validate', '--bogus']).code)).resolves.toBe(2);
  });

  it('with --base, prints allowed schema changes and refuses the rest', async () => {
    const repo = gitRepo();
    const dataset = seed.datasetA();
    repo.write('tenants/client_a/agreement.json', JSON.stringify(seed.agreementA()));
    repo.write('tenants/client_a/dataset.json', JSON.stringify(dataset));
    repo.git('add', '.');
    repo.git('commit', '-qm', 'base');
    const fields = (dataset.schema as { fields: Record<string, unknown>[] }).fields;
    fields.push({ name: 'note', type: ['null', 'string'], default: null });
    repo.write('tenants/client_a/dataset.json', JSON.stringify(dataset));
    await expect(Promise.resolve(runCli(['validate', '--base', 'HEAD'], { cwd: repo.dir }))).resolves.toEqual({
      code: 0, stderr: '',
      stdout: 'client_a/speed-tracking-data: schema change: ALTER TABLE "mysimbdp_coredms"."analytics" ADD "note" text\n1 tenant valid: client_a (speed-tracking-data)\n',
    });
    fields[9]!.type = 'string';
    repo.write('tenants/client_a/dataset.json', JSON.stringify(dataset));
    const refused = runCli(['validate', '--base', 'HEAD'], { cwd: repo.dir });
    await expect(Promise.resolve([refused.code, refused.stderr])).resolves.toEqual([1,
      `${path.join('tenants', 'client_a', 'dataset.json')}: schema: table mysimbdp_coredms.analytics: column "SPEEDIN" type change from double to text is refused (rule schema-evolution)\n`]);
  });

  it('exits 2 for an unknown base ref', async () => {
    await expect(Promise.resolve(runCli(['validate', '--tenants', clientA(), '--base', 'no-such-ref']).code)).resolves.toBe(2);
  });
});
