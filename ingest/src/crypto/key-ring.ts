import * as fs from 'node:fs';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { InputError } from '../../../infra/errors';

/** Where key files are mounted (a Secret per tenant at `<dir>/<client>/`); setting ENCRYPTION_KEYS_DIR. */
export const DEFAULT_KEYS_DIR = '/etc/mysimbdp/keys';

/** AES-256 keys are 32 bytes. */
export const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const KEY_FILE = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63})\.key$/;

/**
 * One tenant's encryption keys, by key id. The current key encrypts new files; every known key
 * decrypts, so a rotation (add a key, point `current` at it) leaves older files readable.
 * Key bytes never leave this object in a string form: JSON and util.inspect show ids only.
 */
export class KeyRing {
  readonly #keys: ReadonlyMap<string, Buffer>;

  constructor(
    readonly client: string,
    readonly currentKeyId: string,
    keys: ReadonlyMap<string, Buffer>,
  ) {
    for (const [id, key] of keys) {
      if (!KEY_ID.test(id)) throw new InputError(`key id "${id}" of ${client} must match ${KEY_ID.source}`, { context: { tenant: client } });
      if (key.length !== KEY_BYTES) throw new InputError(`key "${id}" of ${client} must be ${KEY_BYTES} bytes, got ${key.length}`, { context: { tenant: client } });
    }
    if (!keys.has(currentKeyId)) {
      throw new InputError(`current key id "${currentKeyId}" of ${client} has no key (known: ${keys.size === 0 ? 'none' : [...keys.keys()].join(', ')})`, { context: { tenant: client } });
    }
    this.#keys = new Map(keys);
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()].sort();
  }

  /** The key with this id; an InputError naming the id (never a key) when unknown. */
  key(id: string): Buffer {
    const key = this.#keys.get(id);
    if (key === undefined) {
      throw new InputError(`key id "${id}" is unknown for ${this.client} (known: ${this.keyIds.join(', ')})`, { context: { tenant: this.client } });
    }
    return key;
  }

  toJSON(): Record<string, unknown> {
    return { client: this.client, currentKeyId: this.currentKeyId, keyIds: this.keyIds };
  }

  [inspect.custom](): string {
    return `KeyRing ${JSON.stringify(this.toJSON())}`;
  }
}

/** 32 raw bytes, or (trimmed) 64 hex characters, or base64 of 32 bytes. */
function decodeKey(content: Buffer, file: string): Buffer {
  if (content.length === KEY_BYTES) return Buffer.from(content);
  const text = content.toString('latin1').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    const key = Buffer.from(text, 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  throw new InputError(`key file ${file} must hold ${KEY_BYTES} raw bytes, 64 hex characters or base64 of ${KEY_BYTES} bytes (file has ${content.length} bytes)`);
}

/** The tenant's key ring from the key files under ENCRYPTION_KEYS_DIR (default /etc/mysimbdp/keys), read now. */
export function keyRingFromEnvironment(client: string): KeyRing {
  return loadKeyRing(process.env.ENCRYPTION_KEYS_DIR ?? DEFAULT_KEYS_DIR, client);
}

/**
 * Loads `<keysDir>/<client>/<keyId>.key`. The current key id is the content of
 * `<keysDir>/<client>/current` when that file exists, else the greatest key id in natural order
 * (`k2` < `k10`), so ids such as dates or counters rotate by adding a file.
 */
export function loadKeyRing(keysDir: string, client: string): KeyRing {
  const dir = path.join(keysDir, client);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    throw new InputError(`no encryption keys for ${client}: cannot read ${dir} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err, context: { tenant: client } });
  }
  const keys = new Map<string, Buffer>();
  for (const name of names) {
    const m = KEY_FILE.exec(name);
    if (m === null) continue; // Secret mounts add `..data` links and other entries
    const file = path.join(dir, name);
    keys.set(m[1] as string, decodeKey(fs.readFileSync(file), file));
  }
  if (keys.size === 0) throw new InputError(`no encryption keys for ${client}: ${dir} holds no <keyId>.key file`, { context: { tenant: client } });
  const currentFile = path.join(dir, 'current');
  const current = fs.existsSync(currentFile)
    ? fs.readFileSync(currentFile, 'utf8').trim()
    : [...keys.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1) as string;
  return new KeyRing(client, current, keys);
}
