import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Tenant } from '../../../infra/tenant/types';
import { buildApiServer } from '../../../ingest/src/api/api-server';
import { BearerTokens } from '../../../ingest/src/api/bearer-tokens';
import { createDecryptStream, encryptedSize, isEncryptedHeader, maxPlaintextFor } from '../../../ingest/src/crypto/encrypted-file';
import { KeyRing } from '../../../ingest/src/crypto/key-ring';
import { InputError } from '../../../infra/errors';
import { createLogger } from '../../../ingest/src/log';
import { stagingLayout } from '../../../ingest/src/staging/staging-layout';
import { clientA, clientB, tenantOf } from '../helpers/datasets';
import { fileUpload, multipart } from './multipart';

const sha = (s: string): string => crypto.createHash('sha256').update(s).digest('hex');
const TOKEN_A = 'token-of-a';
const TOKEN_B = 'token-of-b';
const TOKEN_GHOST = 'token-of-a-tenant-without-config';
const KEY = crypto.randomBytes(32);
const CSV = 'PROVINCECODE,DEVICEID,IFINDEX,FRAME,SLOT,PORT,ONUINDEX,ONUID,TIME,SPEEDIN,SPEEDOUT\nP1,D1,1,1,1,1,1,1,2024-01-01 00:00:00,1.5,2.5\n';

const tenantA: Tenant = tenantOf('client_a', [clientA({ maxFileSizeBytes: 1000 }), clientA({ name: 'second', stagingSubdir: 'second', fileTypes: ['jsonl'] })]);
const tenantB: Tenant = { ...tenantOf('client_b', [clientB()]), agreement: { ...tenantOf('client_b', []).agreement, encryption: true } };

let root: string;
let app: FastifyInstance;
let logLines: string[];

beforeEach(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'api-'));
  logLines = [];
  app = await buildApiServer({
    tenants: [tenantA, tenantB],
    tokens: new BearerTokens({ client_a: sha(TOKEN_A), client_b: [sha('old'), sha(TOKEN_B)], client_ghost: sha(TOKEN_GHOST) }),
    sourcePath: root,
    keyRing: (client) => new KeyRing(client, 'k1', new Map([['k1', KEY]])),
    log: createLogger({}, { write: (line) => void logLines.push(line) }),
  });
});
afterEach(async () => {
  await app.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Every file (not folder) under the staging root, relative. */
function stagedFiles(): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(root, f)).isFile()).sort();
}

const auth = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
async function upload(url: string, body: ReturnType<typeof multipart>, token: string | null = TOKEN_A) {
  return app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, ...(token === null ? {} : auth(token)) } });
}

describe('POST /upload-file/{tenant_id}', () => {
  it('stores the file in in/ and reports it waiting', async () => {
    const res = await upload('/upload-file/client_a', fileUpload('day-1.csv', CSV));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ tenant: 'client_a', dataset: 'speed-tracking-data', file: 'day-1.csv', bytes: CSV.length, sha256: sha(CSV), encrypted: false, state: 'waiting' });
    expect(res.headers.location).toBe('/tenant/client_a');
    expect(stagedFiles()).toEqual([path.join('client_a', 'in', 'day-1.csv')]);
    expect(fs.readFileSync(path.join(root, 'client_a', 'in', 'day-1.csv'), 'utf8')).toBe(CSV);
  });

  it('accepts exactly max_file_size_mb and selects a dataset with ?dataset=', async () => {
    expect((await upload('/upload-file/client_a', fileUpload('max.csv', 'x'.repeat(1000)))).statusCode).toBe(201);
    const res = await upload('/upload-file/client_a?dataset=second', fileUpload('m.jsonl', '{"a":1}\n'));
    expect(res.statusCode).toBe(201);
    expect(stagedFiles()).toEqual([path.join('client_a', 'in', 'max.csv'), path.join('client_a', 'in', 'second', 'm.jsonl')]);
  });

  it('accepts files far above the JSON body limit (multipart is streamed, not buffered)', async () => {
    const big = `${CSV}${'P1,D1,1,1,1,1,1,1,2024-01-01 00:00:00,1.5,2.5\n'.repeat(80_000)}`;
    const res = await upload('/upload-file/client_b', fileUpload('big.csv', big), TOKEN_B);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ bytes: big.length, sha256: sha(big) });
  });

  it('stores encrypted when the agreement asks for it, never logging the key', async () => {
    const content = 'marketplace,customer_id\nUS,1\n';
    const res = await upload('/upload-file/client_b', fileUpload('r.csv', content), TOKEN_B);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ encrypted: true, bytes: content.length, sha256: sha(content) });
    const stored = fs.readFileSync(path.join(root, 'client_b', 'in', 'r.csv'));
    expect(isEncryptedHeader(stored)).toBe(true);
    expect(stored.includes(Buffer.from('marketplace'))).toBe(false);
    const decrypt = createDecryptStream(() => new KeyRing('client_b', 'k1', new Map([['k1', KEY]])));
    expect(Buffer.concat([decrypt.write(stored) ? decrypt.read() ?? Buffer.alloc(0) : Buffer.alloc(0), await new Promise<Buffer>((resolve) => { decrypt.once('data', resolve); decrypt.end(); })]).toString()).toBe(content);
    const logs = logLines.join('');
    expect(logs).toContain('"msg":"upload stored"');
    expect(logs).not.toContain(KEY.toString('hex'));
    expect(logs).not.toContain(KEY.toString('base64'));
  });

  it('keeps an encrypted file within max_file_size_mb on disk, so the batch never refuses what the API accepted', async () => {
    await app.close();
    const small: Tenant = { ...tenantB, datasets: [clientB({ maxFileSizeBytes: 1000 })] };
    const ring = new KeyRing('client_b', 'k1', new Map([['k1', KEY]]));
    app = await buildApiServer({ tenants: [small], tokens: new BearerTokens({ client_b: sha(TOKEN_B) }), sourcePath: root, keyRing: () => ring, log: createLogger({}, { write: () => undefined }) });
    const fits = maxPlaintextFor(1000, ring);
    expect(fits).toBe(1000 - 31 - 16); // header: magic 7, version 1, segment size 4, client 1+8, key id 1+2, prefix 7; one tag
    expect(encryptedSize(fits, ring)).toBe(1000);
    expect((await upload('/upload-file/client_b', fileUpload('over.csv', 'x'.repeat(fits + 1)), TOKEN_B)).json().error).toMatchObject({ code: 'file_too_large', max_bytes: fits });
    expect((await upload('/upload-file/client_b', fileUpload('fits.csv', 'x'.repeat(fits)), TOKEN_B)).statusCode).toBe(201);
    expect(fs.statSync(path.join(root, 'client_b', 'in', 'fits.csv')).size).toBe(1000);
  });

  it('answers 500 without key material when the key ring cannot load', async () => {
    await app.close();
    app = await buildApiServer({
      tenants: [tenantB],
      tokens: new BearerTokens({ client_b: sha(TOKEN_B) }),
      sourcePath: root,
      keyRing: () => {
        throw new InputError('no encryption keys for client_b: cannot read /keys/client_b (ENOENT)');
      },
      log: createLogger({}, { write: (line) => void logLines.push(line) }),
    });
    const res = await upload('/upload-file/client_b', fileUpload('r.csv', 'a\n'), TOKEN_B);
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'internal', message: 'internal error; see the server log' } });
    expect(logLines.join('')).toContain('no encryption keys for client_b');
    expect(stagedFiles()).toEqual([]);
  });

  describe('refusals leave nothing behind', () => {
    afterEach(() => {
      expect(stagedFiles()).toEqual([]);
    });

    it('401 without a token, with a malformed header or an unknown token — even for unknown tenants', async () => {
      for (const [url, token, message] of [
        ['/upload-file/client_a', null, 'missing bearer token'],
        ['/upload-file/client_a', 'nope', 'invalid bearer token'],
        ['/upload-file/no_such_tenant', null, 'missing bearer token'],
        ['/upload-file/no_such_tenant', 'nope', 'invalid bearer token'],
      ] as const) {
        const res = await upload(url, fileUpload('a.csv', CSV), token);
        expect(res.statusCode).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer realm="mysimbdp"');
        expect(res.json()).toEqual({ error: { code: 'unauthorized', message } });
      }
      const basic = await app.inject({ method: 'POST', url: '/upload-file/client_a', headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } });
      expect(basic.statusCode).toBe(401);
    });

    it("403 with another tenant's token", async () => {
      const res = await upload('/upload-file/client_a', fileUpload('a.csv', CSV), TOKEN_B);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ error: { code: 'forbidden', message: 'the token is not valid for tenant "client_a"' } });
    });

    it('404 for a tenant with a token but no configuration, and for an unknown dataset', async () => {
      const ghost = await upload('/upload-file/client_ghost', fileUpload('a.csv', CSV), TOKEN_GHOST);
      expect(ghost.statusCode).toBe(404);
      expect(ghost.json()).toEqual({ error: { code: 'unknown_tenant', message: 'tenant client_ghost is not configured on this platform' } });
      const dataset = await upload('/upload-file/client_a?dataset=nope', fileUpload('a.csv', CSV));
      expect(dataset.statusCode).toBe(404);
      expect(dataset.json().error.message).toBe('tenant client_a has no dataset "nope" (has: speed-tracking-data, second)');
    });

    it('413 over max_file_size_mb, stopping mid-stream', async () => {
      const res = await upload('/upload-file/client_a', fileUpload('big.csv', 'x'.repeat(1001)));
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({ error: { code: 'file_too_large', message: "big.csv exceeds the dataset's max_file_size_mb (1000 bytes)", filename: 'big.csv', max_bytes: 1000 } });
      const huge = await upload('/upload-file/client_a', fileUpload('huge.csv', Buffer.alloc(5_000_000, 0x61)));
      expect(huge.statusCode).toBe(413);
    });

    it('415 for a type the dataset does not accept, binary content and non-multipart bodies', async () => {
      const txt = await upload('/upload-file/client_a', fileUpload('notes.txt', 'hello'));
      expect(txt.statusCode).toBe(415);
      expect(txt.json().error).toEqual({ code: 'unsupported_file_type', message: 'dataset speed-tracking-data accepts .csv files, got "notes.txt"', filename: 'notes.txt', accepted: ['csv'] });
      expect((await upload('/upload-file/client_a', fileUpload('data.jsonl', '{}\n'))).statusCode).toBe(415);
      expect((await upload('/upload-file/client_a', fileUpload('noext', 'a'))).statusCode).toBe(415);
      const binary = await upload('/upload-file/client_a', fileUpload('bin.csv', Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x00, 0x01])));
      expect(binary.statusCode).toBe(415);
      expect(binary.json().error.message).toBe('bin.csv is not a csv file: binary content (NUL byte) at byte 5');
      const jsonl = await upload('/upload-file/client_a?dataset=second', fileUpload('x.jsonl', 'a,b\n'));
      expect(jsonl.json().error.message).toBe('x.jsonl is not a jsonl file: the first line must be a JSON object');
      const raw = await app.inject({ method: 'POST', url: '/upload-file/client_a', payload: CSV, headers: { ...auth(TOKEN_A), 'content-type': 'text/csv' } });
      expect(raw.statusCode).toBe(415);
      expect(raw.json().error.code).toBe('fst_err_ctp_invalid_media_type');
      const json = await app.inject({ method: 'POST', url: '/upload-file/client_a', payload: { a: 1 }, headers: auth(TOKEN_A) });
      expect(json.statusCode).toBe(415);
      expect(json.json().error).toEqual({ code: 'not_multipart', message: 'send the file as multipart/form-data in a part named "file"' });
    });

    it.each([
      '../escape.csv',
      '../../client_b/in/x.csv',
      '..\\escape.csv',
      '/etc/passwd.csv',
      'C:\\temp\\x.csv',
      '%2e%2e%2fescape.csv',
      '.hidden.csv',
      '..csv',
      'a..b.csv',
      'nul\u0000.csv',
      'sp ace.csv',
      'ünïcode.csv',
      `${'x'.repeat(130)}.csv`,
      'in/x.csv',
    ])('422 for the filename %j', async (filename) => {
      const res = await upload('/upload-file/client_a', fileUpload(filename, CSV));
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('invalid_filename');
    });

    // Found by fuzzing: busboy's errors on a malformed body had no status and came out as 500s.
    it.each([
      ['a part without headers', '--B\r\nNone--B--\r\n', 'Unexpected end of multipart data'],
      ['a file part cut off before its closing boundary', '--B\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nP1,D1\r\n', 'Unexpected end of multipart data'],
    ])('400 for a malformed multipart body: %s', async (_what, payload, reason) => {
      const res = await app.inject({ method: 'POST', url: '/upload-file/client_a', payload, headers: { ...auth(TOKEN_A), 'content-type': 'multipart/form-data; boundary=B' } });
      await expect(res.statusCode).toBe(400);
      await expect(res.json()).toEqual({ error: { code: 'malformed_multipart', message: `the multipart/form-data body is malformed: ${reason}` } });
    });

    it('422 for a file part without a name; 400 without a file part or with another field name', async () => {
      expect((await upload('/upload-file/client_a', fileUpload('', CSV))).statusCode).toBe(422);
      const none = await upload('/upload-file/client_a', multipart({ field: 'note', content: 'hi' }));
      expect(none.statusCode).toBe(400);
      expect(none.json().error.code).toBe('missing_file');
      const other = await upload('/upload-file/client_a', multipart({ field: 'upload', filename: 'a.csv', content: CSV }));
      expect(other.json().error).toEqual({ code: 'missing_file', message: 'the file part is named "upload"; name it "file"' });
    });

    const CLIENT_ID_BROKEN = { error: { code: 'invalid_request', message: 'params/tenant_id must match pattern "^[a-z][a-z0-9_]*[a-z0-9]$"' } };
    it.each([
      ['..', 404, { error: { code: 'not_found', message: 'no route POST /' } }],
      ['%2e%2e', 404, { error: { code: 'not_found', message: 'no route POST /' } }],
      ['..%2f..%2fetc', 400, CLIENT_ID_BROKEN],
      ['%2e%2e%2fclient_b', 400, CLIENT_ID_BROKEN],
      ['client_a%00', 400, CLIENT_ID_BROKEN],
      ['client_a%2f..%2fclient_b', 400, CLIENT_ID_BROKEN],
      ['client_a%0A', 400, CLIENT_ID_BROKEN],
      ['Client_A', 400, CLIENT_ID_BROKEN],
      ['client_', 400, CLIENT_ID_BROKEN],
      ['a', 400, { error: { code: 'invalid_request', message: 'params/tenant_id must NOT have fewer than 2 characters' } }],
      ['a'.repeat(41), 400, { error: { code: 'invalid_request', message: 'params/tenant_id must NOT have more than 40 characters' } }],
    ] as const)('tenant id %s never reaches the file system: %i', async (tenantId, status, body) => {
      const res = await upload(`/upload-file/${tenantId}`, fileUpload('a.csv', CSV));
      await expect(res.statusCode).toBe(status);
      await expect(res.json()).toEqual(body);
    });

    it('400 for a tenant id that is not a client id comes before authentication: the rule is public', async () => {
      for (const token of [null, 'nope', TOKEN_B, TOKEN_A]) {
        const res = await upload('/upload-file/client-a', fileUpload('a.csv', CSV), token);
        await expect(res.statusCode).toBe(400);
        await expect(res.json()).toEqual(CLIENT_ID_BROKEN);
        await expect(res.headers['www-authenticate']).toBeUndefined();
      }
      const list = await app.inject({ method: 'GET', url: '/tenant/client-a' });
      await expect(list.statusCode).toBe(400);
      await expect(list.json()).toEqual(CLIENT_ID_BROKEN);
    });

    it("400 JSON from fastify's own validation; 404 JSON for unknown routes", async () => {
      const q = await upload(`/upload-file/client_a?dataset=${'d'.repeat(41)}`, fileUpload('a.csv', CSV));
      expect(q.statusCode).toBe(400);
      expect(q.json()).toEqual({ error: { code: 'invalid_request', message: 'querystring/dataset must NOT have more than 40 characters' } });
      const name = await upload('/upload-file/client_a?dataset=Speed_Data', fileUpload('a.csv', CSV));
      await expect(name.statusCode).toBe(400);
      await expect(name.json()).toEqual({ error: { code: 'invalid_request', message: 'querystring/dataset must match pattern "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"' } });
      const tooBig = await app.inject({ method: 'POST', url: '/upload-file/client_a', payload: JSON.stringify({ x: 'y'.repeat(2 * 1024 * 1024) }), headers: { ...auth(TOKEN_A), 'content-type': 'application/json' } });
      expect(tooBig.statusCode).toBe(413);
      expect(tooBig.json()).toEqual({ error: { code: 'fst_err_ctp_body_too_large', message: 'Request body is too large' } });
      const r = await app.inject({ method: 'GET', url: '/upload-file/../../etc/passwd' });
      expect(r.statusCode).toBe(404);
      expect(r.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /etc/passwd' } });
    });

    it("400 JSON from the router's own refusals: a malformed URL, a path parameter over its length limit", async () => {
      const bad = await app.inject({ method: 'GET', url: '/tenant/%zz', headers: auth(TOKEN_A) });
      await expect(bad.statusCode).toBe(400);
      await expect(bad.json()).toEqual({ error: { code: 'fst_err_bad_url', message: "'/tenant/%zz' is not a valid url component" } });
      const long = await upload(`/upload-file/${'a'.repeat(101)}`, fileUpload('a.csv', CSV));
      await expect(long.statusCode).toBe(400);
      await expect(long.json()).toEqual({ error: { code: 'fst_err_max_param_length', message: `'/upload-file/${'a'.repeat(101)}' is exceeding the max param length` } });
      const combining = await app.inject({ method: 'GET', url: `/tenant/${encodeURIComponent('o\u0336'.repeat(51))}/files`, headers: auth(TOKEN_A) });
      await expect(combining.statusCode).toBe(400);
      await expect(combining.json().error.code).toBe('fst_err_max_param_length');
    });
  });

  it('409 for a name already waiting or processing, keeping the first file', async () => {
    expect((await upload('/upload-file/client_a', fileUpload('same.csv', CSV))).statusCode).toBe(201);
    const again = await upload('/upload-file/client_a', fileUpload('same.csv', 'other\n'));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('file_exists');
    fs.mkdirSync(path.join(root, 'client_a', 'in', '.processing'));
    fs.renameSync(path.join(root, 'client_a', 'in', 'same.csv'), path.join(root, 'client_a', 'in', '.processing', 'same.csv'));
    expect((await upload('/upload-file/client_a', fileUpload('same.csv', 'other\n'))).statusCode).toBe(409);
    expect(stagedFiles()).toEqual([path.join('client_a', 'in', '.processing', 'same.csv')]);
    expect(fs.readFileSync(path.join(root, 'client_a', 'in', '.processing', 'same.csv'), 'utf8')).toBe(CSV);
  });
});

describe('an upload cut off mid-body', () => {
  it('leaves nothing in the staging tree', async () => {
    const address = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
    const body = fileUpload('cut.csv', CSV.repeat(5));
    const partial = body.payload.subarray(0, body.payload.length - 200);
    const socket = net.connect(Number(address.port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /upload-file/client_a HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN_A}\r\nContent-Type: ${body.headers['content-type']}\r\nContent-Length: ${body.payload.length}\r\n\r\n`,
    );
    socket.write(partial);
    await vi.waitFor(() => expect(fs.existsSync(path.join(root, 'client_a', 'in', '.upload'))).toBe(true));
    socket.destroy();
    await vi.waitFor(() => expect(stagedFiles()).toEqual([]));
    await new Promise((r) => setTimeout(r, 200));
    expect(stagedFiles()).toEqual([]);
  });
});

describe('GET /tenant/{tenant_id}', () => {
  it('lists files with their state and failure reasons', async () => {
    const dir = (...p: string[]): string => {
      const d = path.join(root, 'client_a', ...p);
      fs.mkdirSync(d, { recursive: true });
      return d;
    };
    fs.writeFileSync(path.join(dir('in'), 'w.csv'), 'a');
    fs.writeFileSync(path.join(dir('in', '.processing'), 'p.csv'), 'ab');
    fs.writeFileSync(path.join(dir('in', '.upload'), 'x.part'), 'partial');
    fs.writeFileSync(path.join(dir('archive'), 'a.csv'), 'abc');
    fs.writeFileSync(path.join(dir('failed'), 'f.csv'), 'abcd');
    fs.writeFileSync(path.join(dir('failed'), 'f.csv.reason.json'), JSON.stringify({ outcome: 'failed', reason: 'Kafka unavailable' }));
    fs.writeFileSync(path.join(dir('failed'), 'r.csv'), 'abcde');
    fs.writeFileSync(path.join(dir('failed'), 'r.csv.reason.json'), JSON.stringify({ outcome: 'refused', reason: 'over max_file_size_mb' }));
    fs.writeFileSync(path.join(dir('in', 'second'), 's.jsonl'), '{}');
    fs.writeFileSync(path.join(dir('in'), 'dropped.txt'), 'abcdef');
    const res = await app.inject({ method: 'GET', url: '/tenant/client_a', headers: auth(TOKEN_A) });
    expect(res.statusCode).toBe(200);
    const files = (res.json().files as { dataset: string; name: string; state: string; bytes: number; reason?: unknown }[]).map(({ dataset, name, state, bytes, reason }) => ({ dataset, name, state, bytes, reason }));
    expect(files.sort((x, y) => x.name.localeCompare(y.name))).toEqual([
      { dataset: 'speed-tracking-data', name: 'a.csv', state: 'archived', bytes: 3, reason: undefined },
      { dataset: 'speed-tracking-data', name: 'dropped.txt', state: 'refused', bytes: 6, reason: 'file type not accepted: extension ".txt"; dataset speed-tracking-data accepts .csv' },
      { dataset: 'speed-tracking-data', name: 'f.csv', state: 'failed', bytes: 4, reason: 'Kafka unavailable' },
      { dataset: 'speed-tracking-data', name: 'p.csv', state: 'processing', bytes: 2, reason: undefined },
      { dataset: 'speed-tracking-data', name: 'r.csv', state: 'refused', bytes: 5, reason: 'over max_file_size_mb' },
      { dataset: 'second', name: 's.jsonl', state: 'waiting', bytes: 2, reason: undefined },
      { dataset: 'speed-tracking-data', name: 'w.csv', state: 'waiting', bytes: 1, reason: undefined },
    ]);
  });

  it('refuses like the upload: 401, 403, 404', async () => {
    expect((await app.inject({ method: 'GET', url: '/tenant/client_a' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/tenant/client_a', headers: auth(TOKEN_B) })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/tenant/client_ghost', headers: auth(TOKEN_GHOST) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/tenant/client_b', headers: auth('old') })).statusCode).toBe(200);
  });
});

describe('service endpoints', () => {
  it('serves health, readiness, OpenAPI and metrics without a token', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready', tenants: 2 });
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/upload-file/{tenant_id}');
    await upload('/upload-file/client_a', fileUpload('m.csv', CSV));
    await upload('/upload-file/client_a', fileUpload('m.txt', CSV));
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('mysimbdp_api_uploads_total{tenant="client_a",outcome="accepted",component="api"} 1');
    expect(metrics.body).toContain('mysimbdp_api_uploads_total{tenant="client_a",outcome="unsupported_file_type",component="api"} 1');
    expect(metrics.body).toContain(`mysimbdp_api_upload_bytes_total{tenant="client_a",component="api"} ${CSV.length}`);
  });

  it('is not ready when the staging root cannot be written', async () => {
    await app.close();
    const file = path.join(root, 'a-file');
    fs.writeFileSync(file, '');
    app = await buildApiServer({ tenants: [], tokens: new BearerTokens({}), sourcePath: path.join(file, 'sub'), keyRing: () => { throw new Error('unused'); } });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('not_ready');
    fs.rmSync(file);
  });
});

describe('console routes', () => {
  const TOKEN_OPERATOR = 'token-of-the-operator';
  let console: FastifyInstance;
  beforeEach(async () => {
    console = await buildApiServer({
      tenants: [tenantA, tenantB],
      tokens: new BearerTokens({ client_a: sha(TOKEN_A), client_b: sha(TOKEN_B) }),
      operatorTokens: new BearerTokens({ ops: sha(TOKEN_OPERATOR) }),
      sourcePath: root,
      keyRing: (client) => new KeyRing(client, 'k1', new Map([['k1', KEY]])),
      log: createLogger({}, { write: () => undefined }),
    });
  });
  afterEach(async () => {
    await console.close();
  });
  const get = (url: string, token?: string) => console.inject({ method: 'GET', url, headers: token === undefined ? {} : auth(token) });

  it('GET /whoami tells a tenant (with its datasets) from an operator, and refuses others', async () => {
    await expect((await get('/whoami', TOKEN_A)).json()).toEqual({
      role: 'tenant',
      tenant: 'client_a',
      datasets: [{ name: 'speed-tracking-data', file_types: ['csv'], max_file_size_bytes: 1000 }, { name: 'second', file_types: ['jsonl'], max_file_size_bytes: tenantA.datasets[1]!.maxFileSizeBytes }],
    });
    await expect((await get('/whoami', TOKEN_OPERATOR)).json()).toEqual({ role: 'operator', operator: 'ops' });
    const refused = await get('/whoami', 'nobody');
    await expect({ status: refused.statusCode, body: refused.json() }).toEqual({ status: 401, body: { error: { code: 'unauthorized', message: 'invalid bearer token' } } });
  });

  it('GET /operator/overview needs an operator token', async () => {
    const tenant = await get('/operator/overview', TOKEN_A);
    await expect({ status: tenant.statusCode, body: tenant.json() }).toEqual({ status: 403, body: { error: { code: 'forbidden', message: 'the operator view needs an operator token, not a tenant token' } } });
    await expect((await get('/operator/overview')).statusCode).toBe(401);
    const ok = await get('/operator/overview', TOKEN_OPERATOR);
    await expect(ok.json()).toMatchObject({ ingestion_log: { available: false, error: 'no ingestion log configured' }, platform: null, decisions: { available: false, recent: [] } });
    await expect(ok.json().tenants.map((t: { client: string }) => t.client)).toEqual(['client_a', 'client_b']);
  });

  it('downloads a quarantine as an attachment, 404s without one, and refuses names that leave the folder', async () => {
    const { quarantine } = stagingLayout(root, 'client_a', tenantA.datasets[0]!);
    fs.mkdirSync(quarantine, { recursive: true });
    fs.writeFileSync(path.join(quarantine, 'day.csv.rejected.jsonl'), '{"record":1,"reason":"r","rule":"schema"}\n');
    const res = await get('/tenant/client_a/quarantine/speed-tracking-data/day.csv', TOKEN_A);
    await expect({ status: res.statusCode, type: res.headers['content-type'], disposition: res.headers['content-disposition'], body: res.body }).toEqual({
      status: 200, type: 'application/x-ndjson; charset=utf-8', disposition: 'attachment; filename="day.csv.rejected.jsonl"', body: '{"record":1,"reason":"r","rule":"schema"}\n',
    });
    const none = await get('/tenant/client_a/rejections/speed-tracking-data/other.csv', TOKEN_A);
    await expect({ status: none.statusCode, body: none.json() }).toEqual({ status: 404, body: { error: { code: 'no_quarantine', message: 'no rejected rows are kept for other.csv in dataset speed-tracking-data' } } });
    await expect((await get('/tenant/client_a/rejections/speed-tracking-data/..%2F..%2Fsecret.csv', TOKEN_A)).statusCode).toBe(400);
    await expect((await get('/tenant/client_b/quarantine/speed-tracking-data/day.csv', TOKEN_A)).statusCode).toBe(403);
  });
});
