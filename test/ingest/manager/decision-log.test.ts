import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DecisionRecord } from '../../../ingest/src/manager/decision';
import { DecisionLog } from '../../../ingest/src/manager/decision-log';

const record = (n: number, tenant = 'client_a'): DecisionRecord => ({ tenant, dataset: 'd', action: 'alert', from: 1, to: 1, reason: `r${n}`, time: new Date(n * 1000).toISOString(), outcome: 'alerted' });

describe('DecisionLog', () => {
  it('keeps the newest decisions in memory, newest first, per tenant or all, and appends each as a JSON line', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'decisions-')), 'decisions.jsonl');
    const log = new DecisionLog(file, 3);
    for (const n of [1, 2, 3]) await log.append(record(n));
    await log.append(record(4, 'client_b'));
    await expect(log.recent().map((d) => d.reason)).toEqual(['r4', 'r3', 'r2']);
    await expect(log.recent('client_a').map((d) => d.reason)).toEqual(['r3', 'r2']);
    await expect(fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as DecisionRecord).reason)).toEqual(['r1', 'r2', 'r3', 'r4']);
  });
});
