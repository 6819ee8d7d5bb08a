import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FastifyInstance } from 'fastify';

/** The console's files, beside this module in the sources and in dist/ (ingest/scripts/copy-assets.cjs). */
export const CONSOLE_DIR = path.join(__dirname, 'console');

/** URL path → file in CONSOLE_DIR and its media type. */
export const CONSOLE_ASSETS = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/console/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
  '/console/console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
} as const;

/**
 * Only the console's own files, no inline script or style, no framing, no form posts elsewhere:
 * a token in the page's sessionStorage is reachable by nothing but console.js.
 */
export const CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Serves the console: each file read once when the server is built, with its ETag; `no-cache` so a
 * browser revalidates (a 304 when unchanged) and never runs a console older than the API.
 */
export function consoleRoutes(app: FastifyInstance, dir: string = CONSOLE_DIR): void {
  for (const [url, asset] of Object.entries(CONSOLE_ASSETS)) {
    const body = fs.readFileSync(path.join(dir, asset.file));
    const etag = `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    app.get(url, async (request, reply) => {
      void reply.headers({
        'cache-control': 'no-cache',
        etag,
        'content-security-policy': CONSOLE_CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.type(asset.type).send(body);
    });
  }
}
