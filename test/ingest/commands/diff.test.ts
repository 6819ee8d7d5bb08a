import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, REPO_ROOT } from '../../helpers/cli';
import { gitRepo } from '../../helpers/git-repo';
import { seed } from '../../helpers/tenant-files';

// `mysimbdp diff` end to end: a throwaway git repository holding tenants and a stack file; the base
// commit is read back through git, the head from the working tree.

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const STACK = fs.readFileSync(path.join(REPO_ROOT, 'Pulumi.dev.yaml'), 'utf8');

function repoWithSeedTenants() {
  const repo = gitRepo();
  repo.write('Pulumi.dev.yaml', STACK);
  repo.write('tenants/client_a/agreement.json', json(seed.agreementA()));
  repo.write('tenants/client_a/dataset.json', json(seed.datasetA()));
  repo.write('tenants/client_b/agreement.json', json(seed.agreementB()));
  repo.write('tenants/client_b/dataset.json', json(seed.datasetB()));
  repo.git('add', '.');
  repo.git('commit', '-q', '-m', 'base');
  return repo;
}

describe('mysimbdp diff', () => {
  let changed: ReturnType<typeof runCli>;

  beforeAll(() => {
    const repo = repoWithSeedTenants();
    // client_a: new schedule; client_b: removed; client_c: added; the stack: new image tag.
    repo.write('tenants/client_a/agreement.json', json({ ...seed.agreementA(), schedule: '*/15 * * * *' }));
    fs.rmSync(path.join(repo.dir, 'tenants/client_b'), { recursive: true });
    repo.write('tenants/client_c/agreement.json', json({ ...seed.agreementB(), client: 'client_c' }));
    repo.write('tenants/client_c/dataset.json', json(seed.datasetB()));
    repo.write('Pulumi.dev.yaml', STACK.replace('mysimbdp:imageTag: 0.1.0', 'mysimbdp:imageTag: 0.2.0'));
    changed = runCli(['diff', '--base', 'main'], { cwd: repo.dir });
  }, 120_000);

  it('prints a per-tenant markdown summary of added, changed and removed objects', async () => {
    expect(changed.stderr).toBe('');
    expect(changed.code).toBe(0);
    const lines = changed.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual(['### mysimbdp diff: `main` → working tree (stack dev)', '', '| | added | changed | removed |', '| --- | ---: | ---: | ---: |']);
    expect(lines[4]).toMatch(/^\| platform \| 0 \| [1-9]\d* \| 0 \|$/);
    expect(lines[5]).toMatch(/^\| client_a \| 0 \| [1-9]\d* \| 0 \|$/);
    expect(lines[6]).toMatch(/^\| client_b \(removed\) \| 0 \| 0 \| [1-9]\d* \|$/);
    expect(lines[7]).toMatch(/^\| client_c \(new\) \| [1-9]\d* \| 0 \| 0 \|$/);
  });

  it('names the changed fields with their JSON paths and both values', async () => {
    const out = changed.stdout;
    expect(out).toContain('- `CronJob` `mysimbdp-client-a/client-a-speed-tracking-data-batch`\n');
    expect(out).toContain('  - `spec.schedule`: `"0 * * * *"` → `"*/15 * * * *"`\n');
    expect(out).toContain('  - `spec.template.spec.containers[name=api].image`: `"ghcr.io/mysimbdp/ingest:0.1.0"` → `"ghcr.io/mysimbdp/ingest:0.2.0"`\n');
    const section = (heading: string): string => out.slice(out.indexOf(heading)).split('\n\n#### ')[0] as string;
    expect(section('#### client_c (new)')).toMatch(/^#### client_c \(new\)\n\n\*\*added\*\*\n(- .*\n)*- `Namespace` `mysimbdp-client-c`\n/);
    expect(section('#### client_b (removed)')).toMatch(/^#### client_b \(removed\)\n\n\*\*removed\*\*\n(- .*\n)*- `Namespace` `mysimbdp-client-b`\n/);
  });

  it('reports no changes against the same tree', async () => {
    const repo = repoWithSeedTenants();
    const result = runCli(['diff', '--base', 'HEAD', '--tenants', 'tenants', '--stack', 'dev'], { cwd: repo.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('### mysimbdp diff: `HEAD` → working tree (stack dev)\n\nNo changes (3 unchanged: platform, client_a, client_b).\n');
  });

  it('diffs against the valid tenants of a base whose files were broken', async () => {
    const repo = repoWithSeedTenants();
    repo.write('tenants/client_b/agreement.json', '{ "client": ');
    repo.git('commit', '-q', '-am', 'broken client_b');
    repo.write('tenants/client_b/agreement.json', json(seed.agreementB()));
    const result = runCli(['diff', '--base', 'HEAD'], { cwd: repo.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('| client_b (new) |');
    expect(result.stdout).toContain('_Base HEAD: 1 invalid tenant file left out of the base side._');
  });

  it('exits 1 naming the file and JSON path when a working-tree tenant is invalid', async () => {
    const repo = repoWithSeedTenants();
    repo.write('tenants/client_a/agreement.json', json({ ...seed.agreementA(), resources: { requests: { cpu: '1Gi', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } } }));
    const result = runCli(['diff', '--base', 'HEAD'], { cwd: repo.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('agreement.json');
    expect(result.stderr).toContain('resources.requests.cpu');
    expect(result.stderr).toMatch(/mysimbdp diff: \d+ errors? in tenants\n$/);
  });

  it('exits 2 for an unknown ref or a missing --base', async () => {
    const repo = repoWithSeedTenants();
    const unknown = runCli(['diff', '--base', 'no-such-ref'], { cwd: repo.dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('mysimbdp diff: git ref "no-such-ref" does not name a commit of the repository holding tenants\nrun "mysimbdp diff --help"\n');
    const missing = runCli(['diff'], { cwd: repo.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('mysimbdp diff: --base GITREF is required\nrun "mysimbdp diff --help"\n');
  });
});
