import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../ingest/src/commands/api';
import { UsageError } from '../../../infra/errors';
import { CLI, REPO_ROOT } from '../../helpers/cli';

describe('mysimbdp api', () => {
  it('needs a tokens file', async () => {
    const before = process.env.API_TOKENS_FILE;
    delete process.env.API_TOKENS_FILE;
    try {
      await expect(run(['--port', '0'])).rejects.toThrow(new UsageError('missing setting: pass --tokens or set API_TOKENS_FILE'));
    } finally {
      if (before !== undefined) process.env.API_TOKENS_FILE = before;
    }
  });

  it('refuses a tokens file that is not a map of SHA-256 digests', async () => {
    await expect(run(['--tokens', '/nonexistent/tokens.json'])).rejects.toThrow(/^cannot read tokens file \/nonexistent\/tokens\.json: ENOENT/);
  });

  it('serves uploads into the --source folder and exits 0 on SIGTERM', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'api-cmd-'));
    const tokens = path.join(root, 'tokens.json');
    fs.writeFileSync(tokens, JSON.stringify({ client_a: crypto.createHash('sha256').update('t0ken').digest('hex') }));
    const source = path.join(root, 'staging');
    const child = spawn(process.execPath, [CLI, 'api', '--port', '0', '--host', '127.0.0.1', '--tokens', tokens, '--tenants', path.join(REPO_ROOT, 'tenants'), '--source', source], { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const address = await new Promise<string>((resolve, reject) => {
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const listening = /"msg":"api listening".*?"address":"([^"]+)"/.exec(stderr);
          if (listening !== null) resolve(listening[1]!);
        });
        void exited.then((code) => reject(new Error(`api exited ${code}: ${stderr}`)));
        // so a log that never matches ends in `finally` (the child killed), not in a test timeout
        setTimeout(() => reject(new Error(`api did not log its address within 20 s: ${stderr}`)), 20_000).unref();
      });
      const form = new FormData();
      form.append('file', new Blob(['PROVINCECODE,DEVICEID\n']), 'day-1.csv');
      const res = await fetch(`${address}/upload-file/client_a`, { method: 'POST', body: form, headers: { authorization: 'Bearer t0ken' } });
      await expect(res.status).toBe(201);
      await expect(fs.readdirSync(path.join(source, 'client_a', 'in')).filter((f) => !f.startsWith('.'))).toEqual(['day-1.csv']);
    } finally {
      child.kill('SIGTERM');
    }
    await expect(exited).resolves.toBe(0);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
