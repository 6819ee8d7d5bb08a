import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../../helpers/cli';
import { manifestsErrors, policyViolations, readManifestFile } from '../../infra/manifest-validation';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'synth-cmd-'));

describe('mysimbdp synth', () => {
  it('writes valid manifests for tenants/ with the dev stack (exit 0)', async () => {
    const out = tmp();
    const result = runCli(['synth', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['platform.yaml', 'tenant-client_a.yaml', 'tenant-client_b.yaml']);
    expect(result.stdout).toContain(`wrote ${path.join(out, 'tenant-client_a.yaml')} (22 objects)\n`);
    expect(result.stdout.endsWith('stack dev: 2 tenants, image ghcr.io/mysimbdp/ingest:0.1.0\n')).toBe(true);
    const objects = fs.readdirSync(out).flatMap((f) => readManifestFile(path.join(out, f)));
    expect(manifestsErrors(objects)).toEqual([]);
    expect(policyViolations(objects, 'ghcr.io/mysimbdp/ingest:0.1.0')).toEqual([]);
    const cron = readManifestFile(path.join(out, 'tenant-client_b.yaml')).find((o) => o.kind === 'CronJob')!;
    expect((cron.spec as { schedule: string }).schedule).toBe('*/1 * * * *');
  });

  it('reads --stack prod (MYSIMBDP_STACK when the flag is absent)', async () => {
    const out = tmp();
    const result = runCli(['synth', '--out', out], { env: { MYSIMBDP_STACK: 'prod' } });
    expect(result.code).toBe(0);
    const topic = readManifestFile(path.join(out, 'tenant-client_a.yaml')).find((o) => o.kind === 'KafkaTopic')!;
    expect((topic.spec as { replicas: number }).replicas).toBe(3);
    expect(readManifestFile(path.join(out, 'tenant-client_a.yaml')).some((o) => o.kind === 'ScaledObject')).toBe(true);
  });

  it('exits 1 with the validation errors and writes nothing for invalid tenants', async () => {
    const out = path.join(tmp(), 'never');
    expect(runCli(['synth', '--tenants', 'test/fixtures/tenants-seed-verbatim', '--out', out])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'test/fixtures/tenants-seed-verbatim/client_b/agreement.json: resources.limits.cpu: is in a byte unit (Gi); CPU is counted in cores, such as "1", "0.5" or "500m" (rule cpu-mistake, value "1Gi")\n' +
        'mysimbdp synth: 1 error in test/fixtures/tenants-seed-verbatim; nothing written\n',
    });
    expect(fs.existsSync(out)).toBe(false);
  });

  it('exits 1 naming the stack file when the stack is unknown', async () => {
    expect(runCli(['synth', '--stack', 'staging', '--out', tmp()])).toEqual({
      code: 1,
      stdout: '',
      stderr: `mysimbdp synth: stack "staging": cannot read ${path.join(REPO_ROOT, 'Pulumi.staging.yaml')}: ENOENT\n`,
    });
  });

  it('exits 2 on usage errors', async () => {
    expect(runCli(['synth'])).toEqual({ code: 2, stdout: '', stderr: 'mysimbdp synth: --out DIR is required\nrun "mysimbdp synth --help"\n' });
    expect(runCli(['synth', '--out', tmp(), '--bogus']).code).toBe(2);
  });
});
