import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DecisionRecord } from '../../../ingest/src/manager/decision';
import { DecisionLog, readRecentDecisions } from '../../../ingest/src/manager/decision-log';

const record = (n: number): DecisionRecord => ({ tenant: 'client_a', dataset: 'd', action: 'alert', from: 1, to: 1, reason: `r${n}`, time: new Date(n * 1000).toISOString(), outcome: 'alerted' });

describe('readRecentDecisions', () => {
  it("reads another DecisionLog's newest decisions first, skipping a line being written", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'decisions-')), 'decisions.jsonl');
    await expect(await readRecentDecisions(file, 10)).toEqual([]);
    const log = new DecisionLog(file);
    for (const n of [1, 2, 3]) await log.append(record(n));
    fs.appendFileSync(file, '{"tenant":"client_a","act');
    await expect((await readRecentDecisions(file, 2)).map((d) => d.reason)).toEqual(['r3', 'r2']);
    await expect((await readRecentDecisions(file, 10)).map((d) => d.reason)).toEqual(['r3', 'r2', 'r1']);
  });

  it('reads only the end of a long file', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'decisions-')), 'decisions.jsonl');
    fs.writeFileSync(file, Array.from({ length: 5000 }, (_, i) => JSON.stringify(record(i))).join('\n') + '\n');
    const recent = await readRecentDecisions(file, 50);
    await expect(recent.map((d) => d.reason)).toEqual(Array.from({ length: 50 }, (_, i) => `r${4999 - i}`));
  });
});
