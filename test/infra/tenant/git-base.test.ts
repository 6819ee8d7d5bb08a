import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitRefError, tenantsAtRef } from '../../../infra/tenant/git-base';
import { gitRepo } from '../../helpers/git-repo';

describe('tenantsAtRef', () => {
  it('materialises the tenants folder as it was at the ref', async () => {
    const repo = gitRepo();
    repo.write('tenants/client_a/agreement.json', '{"v":1}');
    repo.git('add', '.');
    repo.git('commit', '-qm', 'one');
    repo.write('tenants/client_a/agreement.json', '{"v":2}');
    repo.write('tenants/client_b/agreement.json', '{}');
    const base = tenantsAtRef('HEAD', path.join(repo.dir, 'tenants'));
    try {
      await expect(Promise.resolve(fs.readFileSync(path.join(base.dir, 'client_a/agreement.json'), 'utf8'))).resolves.toBe('{"v":1}');
      await expect(Promise.resolve(fs.existsSync(path.join(base.dir, 'client_b')))).resolves.toBe(false);
    } finally {
      base.dispose();
    }
    await expect(Promise.resolve(fs.existsSync(base.dir))).resolves.toBe(false);
  });

  it('gives an empty folder when the ref had no tenants yet', async () => {
    const repo = gitRepo();
    repo.write('README.md', 'x');
    repo.git('add', '.');
    repo.git('commit', '-qm', 'one');
    const base = tenantsAtRef('HEAD', path.join(repo.dir, 'tenants'));
    await expect(Promise.resolve(fs.readdirSync(base.dir))).resolves.toEqual([]);
    base.dispose();
  });

  it('names a ref that is not a commit', async () => {
    const repo = gitRepo();
    await expect(Promise.resolve().then(() => tenantsAtRef('nope', path.join(repo.dir, 'tenants')))).rejects.toThrow(GitRefError);
    await expect(Promise.resolve().then(() => tenantsAtRef('nope', path.join(repo.dir, 'tenants')))).rejects.toThrow(`git ref "nope" does not name a commit of the repository holding ${path.join(repo.dir, 'tenants')}`);
  });
});
