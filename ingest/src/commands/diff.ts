import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCommand } from '../args';
import { InputError, UsageError } from '../../../infra/errors';

/**
 * `mysimbdp diff` (flags: cli-commands.ts): synthesizes the tenants (and the
 * stack file `Pulumi.<stack>.yaml`) as they are at GITREF and as they are in the working tree, and
 * prints a markdown summary of the objects added, changed (with field paths) and removed, per
 * platform and tenant — the PR comment. Both sides use this checkout's constructs, so the diff shows
 * what the change to tenant files and stack config does. Exit 0 printed, 1 invalid tenants or stack
 * config in the working tree, 2 usage (including an unknown ref).
 */
export async function run(argv: readonly string[]): Promise<number> {
  const { flags } = parseCommand('diff', argv);
  const { tenants: tenantsDir, stack } = flags;

  // Loaded here, not at the top: only synth and diff need the tenant model, cdk8s and the constructs.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { GitRefError, tenantsAtRef } = require('../../../infra/tenant/git-base') as typeof import('../../../infra/tenant/git-base');
  const { loadTenants, loadTenantsOrThrow, formatIssue, TenantValidationError } = require('../../../infra/tenant/load-tenants') as typeof import('../../../infra/tenant/load-tenants');
  const { readStackConfigFile } = require('../../../infra/stack/stack-settings') as typeof import('../../../infra/stack/stack-settings');
  const { synthesize } = require('../../../infra/synth/synthesize') as typeof import('../../../infra/synth/synthesize');
  const { diffManifests, renderDiffMarkdown } = require('../../../infra/diff/manifest-diff') as typeof import('../../../infra/diff/manifest-diff');
  /* eslint-enable @typescript-eslint/no-require-imports */

  let base;
  try {
    base = tenantsAtRef(flags.base, tenantsDir);
  } catch (err) {
    if (err instanceof GitRefError) throw new UsageError(err.message, { cause: err });
    throw err;
  }
  try {
    let head;
    try {
      head = loadTenantsOrThrow(tenantsDir);
    } catch (err) {
      if (!(err instanceof TenantValidationError)) throw err;
      for (const issue of err.issues) process.stderr.write(`${formatIssue(issue)}\n`);
      process.stderr.write(`mysimbdp diff: ${err.issues.length} error${err.issues.length === 1 ? '' : 's'} in ${tenantsDir}\n`);
      return 1;
    }
    // A broken base must not block the PR that fixes it: diff against the base's valid tenants.
    const previous = loadTenants(base.dir);
    const headSettings = readStackConfigFile(process.cwd(), stack);
    const baseSettings = stackFileAtRef(flags.base, stack, readStackConfigFile) ?? headSettings;
    const diff = diffManifests(synthesize(previous.tenants, baseSettings), synthesize(head, headSettings));
    const invalid = new Set(previous.issues.map((i) => i.file)).size;
    const note = invalid === 0 ? '' : `\n_Base ${flags.base}: ${invalid} invalid tenant file${invalid === 1 ? '' : 's'} left out of the base side._\n`;
    process.stdout.write(renderDiffMarkdown(diff, { title: `mysimbdp diff: \`${flags.base}\` → working tree (stack ${stack})` }) + note);
    return 0;
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    process.stderr.write(`mysimbdp diff: ${err.message}\n`);
    return 1;
  } finally {
    base.dispose();
  }
}

/**
 * Settings from `Pulumi.<stack>.yaml` as committed at `ref` (working-directory relative), so a PR
 * that changes stack config shows its effect; undefined when the file did not exist there.
 */
function stackFileAtRef<T>(ref: string, stack: string, read: (rootDir: string, stack: string) => T): T | undefined {
  const file = `Pulumi.${stack}.yaml`;
  let text: Buffer;
  try {
    text = execFileSync('git', ['show', `${ref}:./${file}`], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 24 });
  } catch {
    return undefined;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mysimbdp-stack-'));
  try {
    fs.writeFileSync(path.join(tmp, file), text);
    return read(tmp, stack);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
