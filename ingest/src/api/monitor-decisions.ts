import * as fs from 'node:fs';
import { UsageError } from '../../../infra/errors';
import type { DecisionRecord } from '../manager/decision';

/** Where the operator view's decisions come from. */
export interface DecisionsSource {
  /** The newest `limit` decisions of every tenant, newest first; rejects with a reason to show. */
  recent(limit: number): Promise<DecisionRecord[]>;
}

/** How long the operator view waits for the monitor before it answers without decisions. */
export const MONITOR_TIMEOUT_MS = 2000;

/**
 * The monitor's decisions over HTTP (`GET <url>/decisions` with an operator token, which the monitor
 * answers with every tenant's), the same way locally and on a cluster. Each call is bounded by
 * `timeoutMs`: a monitor that is down, slow or refusing makes the call reject, never hang.
 */
export class MonitorDecisions implements DecisionsSource {
  readonly #url: string;

  constructor(
    /** The monitor's base URL (`http://host:port`). */
    baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs = MONITOR_TIMEOUT_MS,
  ) {
    this.#url = `${baseUrl.replace(/\/+$/, '')}/decisions`;
  }

  async recent(limit: number): Promise<DecisionRecord[]> {
    let res: Response;
    try {
      res = await fetch(this.#url, { headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' }, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const why = e.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : (e.cause?.code ?? e.message);
      throw new Error(`the monitor at ${this.#url} cannot be reached: ${why}`, { cause: err });
    }
    const body = (await res.json().catch(() => undefined)) as { decisions?: unknown; error?: { message?: unknown } } | undefined;
    if (!res.ok) throw new Error(`the monitor at ${this.#url} answered ${res.status}${typeof body?.error?.message === 'string' ? `: ${body.error.message}` : ''}`);
    if (!Array.isArray(body?.decisions)) throw new Error(`the monitor at ${this.#url} answered without a decisions list`);
    return (body.decisions as DecisionRecord[]).slice(0, limit);
  }
}

/**
 * The API's decisions source from its settings, checked once at start: a URL (http or https) and a
 * token file go together; without a URL there is none. Usage errors name the setting and value.
 */
export function monitorDecisionsFrom(url: string | undefined, tokenFile: string | undefined): MonitorDecisions | undefined {
  if (url === undefined) {
    if (tokenFile !== undefined) throw new UsageError('--monitor-token-file (MONITOR_OPERATOR_TOKEN_FILE) is set but --monitor-url (MONITOR_URL) is not');
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--monitor-url (MONITOR_URL) must be an http or https URL, got "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--monitor-url (MONITOR_URL) must be an http or https URL, got "${url}"`);
  if (tokenFile === undefined) throw new UsageError("--monitor-url (MONITOR_URL) is set but --monitor-token-file (MONITOR_OPERATOR_TOKEN_FILE), the API's operator token at the monitor, is not");
  let token: string;
  try {
    token = fs.readFileSync(tokenFile, 'utf8').trim();
  } catch (err) {
    throw new UsageError(`cannot read the monitor token file ${tokenFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  if (token === '' || /\s/.test(token)) throw new UsageError(`monitor token file ${tokenFile} must hold one token (no whitespace inside), got ${token === '' ? 'an empty file' : 'several words'}`);
  return new MonitorDecisions(url, token);
}
