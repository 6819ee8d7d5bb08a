import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensurePythonVenv, venvKey } from '../../../ingest/src/fuzz/python-venv';

let dir: string;
let requirements: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'python-venv-'));
  requirements = path.join(dir, 'requirements.txt');
  fs.writeFileSync(requirements, 'schemathesis==4.32.5\n');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('venvKey', () => {
  it('changes with the requirements and with the interpreter', async () => {
    const key = venvKey(requirements, 'Python 3.11.2');
    await expect(key).toMatch(/^[0-9a-f]{16}$/);
    await expect(venvKey(requirements, 'Python 3.12.1')).not.toBe(key);
    fs.writeFileSync(requirements, 'schemathesis==4.32.6\n');
    await expect(venvKey(requirements, 'Python 3.11.2')).not.toBe(key);
  });
});

describe('ensurePythonVenv', () => {
  it('reuses a venv whose stamp carries the current key, installing nothing', async () => {
    const venvDir = path.join(dir, 'venv');
    fs.mkdirSync(venvDir);
    fs.writeFileSync(path.join(venvDir, 'requirements.key'), `${venvKey(requirements, execFileSync('python3', ['--version'], { encoding: 'utf8' }).trim())}\n`);
    const lines: string[] = [];
    await expect(ensurePythonVenv(venvDir, requirements, (line) => void lines.push(line))).resolves.toMatchObject({ dir: venvDir, binDir: path.join(venvDir, 'bin'), cached: true });
    await expect(lines).toEqual([]);
  });
});
