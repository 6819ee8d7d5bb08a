import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../../infra/errors';
import { isAlive } from '../../../ingest/src/engines/process-control';
import { startApiProcess } from '../../../ingest/src/fuzz/api-process';
import { REPO_ROOT } from '../../helpers/cli';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-process-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const options = (tokensFile: string) => ({
  tokensFile,
  tenantsDir: path.join(REPO_ROOT, 'tenants'),
  sourcePath: path.join(dir, 'staging'),
  keysDir: path.join(dir, 'keys'),
  logFile: path.join(dir, 'api.log'),
});

describe('startApiProcess', () => {
  it('starts mysimbdp api on a free loopback port and stops it by its pid', async () => {
    fs.writeFileSync(path.join(dir, 'tokens.json'), JSON.stringify({ client_a: crypto.createHash('sha256').update('t0ken').digest('hex') }));
    const api = await startApiProcess(options(path.join(dir, 'tokens.json')));
    try {
      await expect(api.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await expect((await fetch(`${api.address}/tenant/client_a`, { headers: { authorization: 'Bearer t0ken' } })).json()).resolves.toEqual({ tenant: 'client_a', files: [] });
    } finally {
      await expect(api.stop()).resolves.toBe('terminated');
    }
    await expect(isAlive(api.pid)).toBe(false);
  });

  it('reports a server that exits before listening, with the end of its log', async () => {
    const start = startApiProcess(options(path.join(dir, 'missing.json')));
    await expect(start).rejects.toThrow(EngineError);
    await expect(start).rejects.toThrow(/^mysimbdp api \(pid \d+\) exited with 2 before listening; its log ends:\n.*cannot read tokens file .*missing\.json/s);
  });
});
