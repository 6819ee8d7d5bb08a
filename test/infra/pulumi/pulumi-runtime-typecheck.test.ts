import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli';

// `pulumi up` (Pulumi.yaml: runtime nodejs, typescript) runs infra/pulumi/index.ts through the
// ts-node that @pulumi/pulumi vendors (7.0.1) with the project's TypeScript, type-checking every
// file it loads, from the working directory infra/pulumi — as its run.js registers it. This does
// the same registration in a child process and compiles every file the program loads.

const PROGRAM_DIR = path.join(REPO_ROOT, 'infra', 'pulumi');
const TS_NODE = path.join(REPO_ROOT, 'node_modules', '@pulumi', 'pulumi', 'vendor', 'ts-node@7.0.1');

function typecheck(skipProject: boolean): { code: number | null; stderr: string } {
  const script = `
    const fs = require('fs');
    const service = require(${JSON.stringify(TS_NODE)}).register({ compiler: 'typescript', transpileOnly: false, project: 'tsconfig.json', skipProject: ${skipProject}, compilerOptions: {} });
    // every module the program loads: itself and what it requires, transitively
    const seen = new Set();
    const visit = (file) => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = fs.readFileSync(file, 'utf8');
      service.compile(code, file);
      for (const m of code.matchAll(/from '(\\.[^']+)'/g)) {
        const base = require('path').resolve(require('path').dirname(file), m[1]);
        for (const candidate of [base + '.ts', base + '/index.ts']) if (fs.existsSync(candidate)) visit(candidate);
      }
    };
    visit(require('path').resolve('index.ts'));
    process.stdout.write(seen.size + ' files\\n');
  `;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: PROGRAM_DIR, encoding: 'utf8', timeout: 180_000 });
  return { code: result.status, stderr: result.stderr };
}

describe("the Pulumi program under Pulumi's own TypeScript runtime", () => {
  it('type-checks with the tsconfig.json of infra/pulumi', async () => {
    const result = typecheck(false);
    await expect(Promise.resolve(result)).resolves.toMatchObject({ code: 0, stderr: '' });
  });

  it('would not without it: ts-node falls back to its own default compiler options', async () => {
    const result = typecheck(true);
    await expect(Promise.resolve(result.code)).resolves.not.toBe(0);
    // the first file compiled fails: ts-node's defaults (ES5 target and lib) lack Map iteration and Error's cause
    await expect(Promise.resolve(result.stderr)).resolves.toMatch(/Unable to compile TypeScript:\n.*error TS(2802|2554):/);
  });
});
