import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { CONSOLE_ASSETS, CONSOLE_CSP, consoleRoutes } from '../../../ingest/src/api/console-assets';

describe('consoleRoutes', () => {
  it('serves each file with its type, a strict CSP, and a 304 for an unchanged ETag', async () => {
    const app = Fastify();
    consoleRoutes(app);
    for (const [url, asset] of Object.entries(CONSOLE_ASSETS)) {
      const res = await app.inject({ method: 'GET', url });
      await expect({ url, status: res.statusCode, type: res.headers['content-type'] }).toEqual({ url, status: 200, type: asset.type });
      await expect(res.headers).toMatchObject({ 'content-security-policy': CONSOLE_CSP, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
      const again = await app.inject({ method: 'GET', url, headers: { 'if-none-match': res.headers.etag as string } });
      await expect({ url, status: again.statusCode, body: again.body }).toEqual({ url, status: 304, body: '' });
    }
    await app.close();
  });

  it('has no inline script or style for the CSP to refuse', async () => {
    const app = Fastify();
    consoleRoutes(app);
    const html = (await app.inject({ method: 'GET', url: '/' })).body;
    await expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script src="/console/console.js" defer>']);
    await expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    await app.close();
  });
});
