import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyRing, loadKeyRing } from '../../../ingest/src/crypto/key-ring';

const dirs: string[] = [];
function keysDir(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keys-'));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, 'client_a'));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, 'client_a', name), content);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('loadKeyRing', () => {
  const raw = crypto.randomBytes(32);
  const hex = crypto.randomBytes(32);
  const b64 = crypto.randomBytes(32);

  it('reads raw, hex and base64 keys and picks the greatest id in natural order', () => {
    const dir = keysDir({ 'k2.key': raw, 'k10.key': `${hex.toString('hex')}\n`, 'k9.key': b64.toString('base64'), '..data': 'x', 'README': 'x' });
    const ring = loadKeyRing(dir, 'client_a');
    expect(ring.currentKeyId).toBe('k10');
    expect(ring.keyIds).toEqual(['k10', 'k2', 'k9']);
    expect(ring.key('k2')).toEqual(raw);
    expect(ring.key('k10')).toEqual(hex);
    expect(ring.key('k9')).toEqual(b64);
  });

  it('honours a current file', () => {
    const ring = loadKeyRing(keysDir({ 'k1.key': raw, 'k2.key': hex, current: 'k1\n' }), 'client_a');
    expect(ring.currentKeyId).toBe('k1');
  });

  it('names the file, not the content, of a bad key', () => {
    const dir = keysDir({ 'k1.key': 'not-a-key-at-all!' });
    expect(() => loadKeyRing(dir, 'client_a')).toThrow(`key file ${path.join(dir, 'client_a', 'k1.key')} must hold 32 raw bytes, 64 hex characters or base64 of 32 bytes (file has 17 bytes)`);
  });

  it('refuses a missing folder, an empty folder and a current id without key', () => {
    const dir = keysDir({ current: 'k3' });
    expect(() => loadKeyRing(dir, 'client_b')).toThrow(`no encryption keys for client_b: cannot read ${path.join(dir, 'client_b')} (ENOENT)`);
    expect(() => loadKeyRing(dir, 'client_a')).toThrow(`no encryption keys for client_a: ${path.join(dir, 'client_a')} holds no <keyId>.key file`);
    fs.writeFileSync(path.join(dir, 'client_a', 'k1.key'), raw);
    expect(() => loadKeyRing(dir, 'client_a')).toThrow('current key id "k3" of client_a has no key (known: k1)');
  });

  it('validates constructor input', () => {
    expect(() => new KeyRing('client_a', 'k1', new Map([['k1', Buffer.alloc(16)]]))).toThrow('key "k1" of client_a must be 32 bytes, got 16');
    expect(() => new KeyRing('client_a', '../x', new Map([['../x', raw]]))).toThrow('key id "../x" of client_a must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$');
  });

  it('never shows key bytes in JSON or inspect output', () => {
    const ring = new KeyRing('client_a', 'k1', new Map([['k1', raw]]));
    const shown = `${JSON.stringify(ring)} ${inspect(ring)} ${inspect({ ring }, { depth: 5 })} ${String(ring)}`;
    expect(shown).toContain('"keyIds":["k1"]');
    for (const enc of ['hex', 'base64'] as const) expect(shown).not.toContain(raw.toString(enc));
    expect(shown).not.toContain(String([...raw].slice(0, 4).join(', ')));
  });
});
