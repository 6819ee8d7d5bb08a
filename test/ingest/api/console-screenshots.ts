// `npm run console:screenshots` (engines up first: npm run engines:up): the flow of
// console.int.test.ts in Debian's chromium, with a PNG of each view into docs/images/.
import * as path from 'node:path';
import { CSV_WITH_BAD_ROWS, launchChromium, startConsolePlatform } from './console-platform';

const OUT = path.join(__dirname, '../../../docs/images');

async function main(): Promise<void> {
  const platform = await startConsolePlatform();
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })).newPage();
    const shot = async (name: string): Promise<void> => {
      const file = path.join(OUT, `console-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
    };
    await page.goto(platform.url);
    await page.getByLabel('Access token').fill('a-wrong-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The token was refused').waitFor();
    await shot('sign-in-refused');

    await page.getByLabel('Access token').fill(platform.tokens.a);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'speeds.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV_WITH_BAD_ROWS) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText('Uploaded speeds.csv').waitFor();
    await shot('tenant-uploaded');

    const run = await platform.batch(platform.tenantA.client);
    if (run.code !== 0) throw new Error(`batch exited ${run.code}: ${run.stderr}`);
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'speeds.csv' }) });
    await row.getByText('archived').waitFor({ timeout: 15_000 });
    await row.getByRole('button', { name: 'Show the reasons rows of speeds.csv were rejected' }).click();
    await page.getByRole('heading', { name: 'Rejected rows of speeds.csv' }).waitFor();
    await shot('tenant-outcome');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access token').fill(platform.tokens.operator);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#decisions tbody tr').first().waitFor();
    await shot('operator');
  } finally {
    await browser.close();
    await platform.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`console:screenshots: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
