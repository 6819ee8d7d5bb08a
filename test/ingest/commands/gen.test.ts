import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli';
import { tempDir } from '../helpers/tenant-dirs';

describe('mysimbdp gen', () => {
  it('writes the rows (header first) and prints the expected outcome', async () => {
    const out = path.join(tempDir('gen-cmd'), 'b.csv');
    const r = await runCli(['gen', '--client', 'client_b', '--rows', '50', '--out', out, '--bad-ratio', '0.2', '--seed', '4']);
    await expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, number>;
    await expect(summary).toMatchObject({ client: 'client_b', dataset: 'amazon-product-review-data', rows: 50 });
    await expect(summary.expectedOk! + summary.expectedRejected! + summary.expectedDeduplicated!).toBe(50);
    await expect(fs.readFileSync(out, 'utf8').split('\n')[0]).toBe('marketplace,customer_id,review_id,product_id,product_parent,product_title,product_category,star_rating,helpful_votes,total_votes,vine,verified_purchase,review_headline,review_body,review_date');
  });

  it('refuses a bad ratio and an unknown extension with exit 2', async () => {
    const bad = await runCli(['gen', '--client', 'client_a', '--rows', '5', '--out', '/tmp/x.csv', '--bad-ratio', '2']);
    await expect(bad.code).toBe(2);
    await expect(bad.stderr).toContain('--bad-ratio must be a number between 0 and 1, got "2"');
    const ext = await runCli(['gen', '--client', 'client_a', '--rows', '5', '--out', '/tmp/x.parquet']);
    await expect(ext.code).toBe(2);
    await expect(ext.stderr).toContain('--out must end in .csv, .tsv or .jsonl, got "/tmp/x.parquet"');
  });
});
