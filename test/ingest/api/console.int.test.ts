import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stagingLayout } from '../../../ingest/src/staging/staging-layout';
import { CSV_WITH_BAD_ROWS, launchChromium, startConsolePlatform, type ConsolePlatform } from './console-platform';

// The console in a real browser (Debian's chromium through playwright-core) against the upload API
// with the real ingestion log, and `mysimbdp batch` as the CronJob runs it: no reload anywhere.
let platform: ConsolePlatform;
let browser: Browser;

beforeAll(async () => {
  platform = await startConsolePlatform();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

async function signedIn(token: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(platform.url);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

const api = (route: string, token: string): Promise<Response> => fetch(`${platform.url}${route}`, { headers: { authorization: `Bearer ${token}` } });

describe('the tenant console', () => {
  it('refuses a wrong token with a visible message and stays signed out', async () => {
    const page = await signedIn('not-a-token');
    await expect(await page.getByRole('alert').filter({ hasText: 'refused' }).textContent()).toBe('The token was refused: invalid bearer token.');
    await expect(await page.locator('#tenant-view').isHidden()).toBe(true);
    await expect(await page.evaluate('sessionStorage.getItem("mysimbdp.token")')).toBeNull();
  });

  it('uploads a file with bad rows, shows its outcome and reasons without reload, and downloads the quarantine', async () => {
    const a = platform.tenantA.client;
    const page = await signedIn(platform.tokens.a);
    await page.locator('#who').filter({ hasText: `Signed in as tenant ${a}` }).waitFor();
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'speeds.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV_WITH_BAD_ROWS) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText('Uploaded speeds.csv').waitFor();
    await expect(await page.locator('#upload-progress').getAttribute('value')).toBe('100');
    await expect(await page.locator('#upload-result').textContent()).toBe(`Uploaded speeds.csv (${CSV_WITH_BAD_ROWS.length} bytes): waiting for ingestion.`);
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'speeds.csv' }) });
    await row.getByText('waiting').waitFor();

    // the CronJob's run, while the page stays open
    const run = await platform.batch(a);
    await expect(run.code).toBe(0);
    await row.getByText('archived').waitFor({ timeout: 15_000 });
    await expect(await row.locator('td').allTextContents()).toEqual([
      'speed-tracking-data', 'archived', '2', '2', '1', expect.stringMatching(/^\d+ ms$|^\d+\.\d s$/), 'schema: 2', 'Show reasonsDownload quarantine',
    ]);
    await expect(await page.getByRole('status').textContent()).toContain('speeds.csv: archived, 2 rows ok, 2 rejected');

    await row.getByRole('button', { name: 'Show the reasons rows of speeds.csv were rejected' }).click();
    const reasons = page.locator('#reasons-table tbody tr');
    await page.getByRole('heading', { name: 'Rejected rows of speeds.csv' }).waitFor();
    await expect(await page.evaluate('document.activeElement.id')).toBe('reasons-title');
    await expect(await reasons.count()).toBe(2);
    await expect((await reasons.nth(0).locator('td').allTextContents()).slice(0, 3)).toEqual(['4', 'schema', 'SPEEDIN']);
    await expect(await reasons.nth(0).locator('td').nth(3).textContent()).toContain('fast');

    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Download the rejected rows of speeds.csv' }).click()]);
    await expect(download.suggestedFilename()).toBe('speeds.csv.rejected.jsonl');
    const downloaded = fs.readFileSync((await download.path())!, 'utf8');
    const kept = fs.readFileSync(path.join(stagingLayout(platform.sourcePath, a, platform.tenantA.datasets[0]!).quarantine, 'speeds.csv.rejected.jsonl'), 'utf8');
    await expect(downloaded).toBe(kept);
    const lines = downloaded.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    await expect(lines.map((l) => [l.record, l.rule, l.field])).toEqual([[4, 'schema', 'SPEEDIN'], [5, 'schema', 'IFINDEX']]);
  });

  it("never shows one tenant another's files, in the page or at the JSON routes", async () => {
    const b = platform.tenantB;
    const layoutB = stagingLayout(platform.sourcePath, b.client, b.datasets[0]!);
    fs.mkdirSync(layoutB.inbox, { recursive: true });
    fs.writeFileSync(path.join(layoutB.inbox, 'secret-of-b.csv'), 'x\n');
    fs.mkdirSync(layoutB.quarantine, { recursive: true });
    fs.writeFileSync(path.join(layoutB.quarantine, 'secret-of-b.csv.rejected.jsonl'), '{"record":1,"reason":"b","rule":"schema"}\n');

    const page = await signedIn(platform.tokens.a);
    await page.getByRole('rowheader', { name: 'speeds.csv' }).waitFor();
    await expect(await page.locator('#files').textContent()).not.toContain('secret-of-b');

    const a = platform.tokens.a;
    const ds = b.datasets[0]!.name;
    for (const route of [`/tenant/${b.client}`, `/tenant/${b.client}/files`, `/tenant/${b.client}/rejections/${ds}/secret-of-b.csv`, `/tenant/${b.client}/quarantine/${ds}/secret-of-b.csv`]) {
      const res = await api(route, a);
      await expect({ route, status: res.status, body: await res.json() }).toEqual({ route, status: 403, body: { error: { code: 'forbidden', message: `the token is not valid for tenant "${b.client}"` } } });
    }
    const own = (await (await api(`/tenant/${platform.tenantA.client}/files`, a)).json()) as { files: { name: string }[] };
    await expect(own.files.map((f) => f.name)).toEqual(['speeds.csv']);
    const bOwn = (await (await api(`/tenant/${b.client}/files`, platform.tokens.b)).json()) as { files: { name: string }[] };
    await expect(bOwn.files.map((f) => f.name)).toEqual(['secret-of-b.csv']);
    const operatorRoute = await api('/operator/overview', a);
    await expect(operatorRoute.status).toBe(403);
  });
});

describe('the operator console', () => {
  it("shows every tenant's figures, the platform totals and the monitor's decisions", async () => {
    const page = await signedIn(platform.tokens.operator);
    await page.locator('#who').filter({ hasText: 'Signed in as operator operator' }).waitFor();
    const tenantRow = (client: string) => page.locator('#tenants tbody tr').filter({ has: page.getByRole('rowheader', { name: client }) });
    await tenantRow(platform.tenantA.client).waitFor();
    await expect(await tenantRow(platform.tenantA.client).locator('td').allTextContents()).toEqual(['0', '0', '1', '0', '2', '2', '1', String(CSV_WITH_BAD_ROWS.length), expect.any(String)]);
    await expect(await tenantRow(platform.tenantB.client).locator('td').allTextContents()).toEqual(['1', '0', '0', '0', '0', '0', '0', '0', '0']);
    // the platform totals: the API's tenants, this run's one file
    await expect(await page.locator('#totals tbody td').allTextContents()).toEqual(['1', '0', '2', '2', '1', String(CSV_WITH_BAD_ROWS.length), expect.any(String), expect.stringMatching(/ms$|s$/)]);
    const decision = page.locator('#decisions tbody tr').filter({ hasText: platform.tenantA.client });
    await expect(await decision.locator('td').allTextContents()).toEqual([expect.any(String), platform.tenantA.client, 'speed-tracking-data', 'scale up', '1 → 2', 'applied', 'rows/s 950 over 800 for 60 s']);
  });
});
