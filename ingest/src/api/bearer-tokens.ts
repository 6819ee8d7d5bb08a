import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { UsageError } from '../../../infra/errors';
import { HttpError } from '../http/http-error';
import { clientIdProblem } from '../../../infra/tenant/rules/client-id';

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/**
 * Bearer tokens per tenant, stored only as SHA-256 digests. A tokens file maps client id to the
 * hex digest of its token, or to a list of digests so a tenant can rotate tokens without downtime:
 * `{ "client_a": "9f86d0…", "client_b": ["…old", "…new"] }`.
 */
export class BearerTokens {
  readonly #digests: readonly { readonly client: string; readonly digest: Buffer }[];

  constructor(entries: Readonly<Record<string, string | readonly string[]>>, source = 'tokens') {
    const digests: { client: string; digest: Buffer }[] = [];
    for (const [client, value] of Object.entries(entries)) {
      const problem = clientIdProblem(client);
      if (problem !== undefined) throw new UsageError(`${source}: client id ${JSON.stringify(client)} ${problem}`);
      const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [undefined];
      list.forEach((hex, i) => {
        const where = typeof value === 'string' ? client : `${client}[${i}]`;
        if (typeof hex !== 'string' || !SHA256_HEX.test(hex)) throw new UsageError(`${source}: ${where} must be the SHA-256 hex digest of a token (64 hex characters)`);
        digests.push({ client, digest: Buffer.from(hex, 'hex') });
      });
    }
    this.#digests = digests;
  }

  /**
   * The client a presented token belongs to, or undefined. Compares the token's digest with every
   * stored digest in constant time, without stopping at a match, so timing tells nothing.
   */
  authenticate(token: string): string | undefined {
    const digest = crypto.createHash('sha256').update(token, 'utf8').digest();
    let found: string | undefined;
    for (const entry of this.#digests) {
      if (crypto.timingSafeEqual(digest, entry.digest) && found === undefined) found = entry.client;
    }
    return found;
  }

  /** These tokens and `other`'s as one set (a name in both keeps the digests of both). */
  concat(other: BearerTokens, source: string): BearerTokens {
    const entries: Record<string, string[]> = {};
    for (const d of [...this.#digests, ...other.#digests]) (entries[d.client] ??= []).push(d.digest.toString('hex'));
    return new BearerTokens(entries, source);
  }

  get clients(): string[] {
    return [...new Set(this.#digests.map((d) => d.client))];
  }

  toJSON(): Record<string, unknown> {
    return { clients: this.clients };
  }
}

export function loadBearerTokens(file: string): BearerTokens {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read tokens file ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`tokens file ${file} must hold a JSON object mapping client id to SHA-256 hex digest`);
  }
  return new BearerTokens(parsed as Record<string, string | string[]>, file);
}

/** `Authorization: Bearer <token>` → the token, else undefined. */
/**
 * The client whose token the `Authorization` header carries; a 401 (with the challenge) when there
 * is none or it is not one of `tokens`. The one check of the upload API and the monitor.
 */
export function authenticatedClient(tokens: BearerTokens, header: string | undefined): string {
  const token = bearerToken(header);
  const client = token === undefined ? undefined : tokens.authenticate(token);
  if (client === undefined) {
    throw new HttpError(401, 'unauthorized', token === undefined ? 'missing bearer token' : 'invalid bearer token', { headers: { 'www-authenticate': 'Bearer realm="mysimbdp"' } });
  }
  return client;
}

/** A 403 unless the authenticated client is the tenant a request is about. */
export function requireSameTenant(client: string, requested: string): void {
  if (requested !== client) throw new HttpError(403, 'forbidden', `the token is not valid for tenant ${JSON.stringify(requested)}`);
}

export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m === null ? undefined : m[1];
}
