import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export class GitRefError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitRefError';
  }
}

export interface TenantsAtRef {
  /** Folder holding the tenants as they were at the ref (empty when the ref had none). */
  readonly dir: string;
  /** Removes the temporary folder. */
  dispose(): void;
}

/**
 * Materialises `tenantsDir` as it is in git at `ref` into a temporary folder, so the same loader
 * reads both sides of a change (schema-evolution check, preview diff).
 */
export function tenantsAtRef(ref: string, tenantsDir: string): TenantsAtRef {
  const absolute = path.resolve(tenantsDir);
  const git = (args: string[], cwd: string): Buffer => execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  // The folder may be new in the working tree: ask git from its nearest existing ancestor.
  let probe = absolute;
  while (!fs.existsSync(probe)) probe = path.dirname(probe);
  let top: string;
  try {
    top = git(['rev-parse', '--show-toplevel'], probe).toString().trim();
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], top);
  } catch {
    throw new GitRefError(`git ref "${ref}" does not name a commit of the repository holding ${tenantsDir}`);
  }
  const rel = path.relative(top, absolute).split(path.sep).join('/');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mysimbdp-base-'));
  const dispose = (): void => fs.rmSync(tmp, { recursive: true, force: true });
  const dir = path.join(tmp, rel === '' ? '.' : rel);
  try {
    const spec = rel === '' ? '.' : rel;
    if (git(['ls-tree', '--name-only', ref, '--', spec], top).length > 0) {
      execFileSync('tar', ['-x', '-C', tmp], { input: git(['archive', '--format=tar', ref, '--', spec], top), stdio: ['pipe', 'ignore', 'pipe'] });
    }
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    dispose();
    throw err;
  }
  return { dir, dispose };
}
