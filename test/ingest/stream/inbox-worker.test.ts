import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Producer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createAvroCodec } from '../../../ingest/src/avro/avro-codec';
import { createLogger } from '../../../ingest/src/log';
import { stagingLayout } from '../../../ingest/src/staging/staging-layout';
import { InboxWorker } from '../../../ingest/src/stream/inbox-worker';
import { clientA, tenantOf } from '../helpers/datasets';

// A producer that lost its cluster for good: the worker must give up, not loop (issue: a stream
// logged "Connecting after shutdown is not supported" every 5 s for minutes, its file never processed).
describe('InboxWorker on a dead dependency', () => {
  it('gives up after maxEngineFailures files in a row failed on an engine, and tells its owner once', async () => {
    const dataset = clientA();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mysimbdp-inbox-'));
    const layout = stagingLayout(root, 'client_a', dataset);
    fs.mkdirSync(layout.inbox, { recursive: true });
    fs.writeFileSync(path.join(layout.inbox, 'a.csv'), 'PROVINCECODE,DEVICEID,IFINDEX,FRAME,SLOT,PORT,ONUINDEX,ONUID,TIME,SPEEDIN,SPEEDOUT\nP1,D1,1,1,1,1,1,1,2021-01-01 00:00:00,1,1\n');
    let sends = 0;
    const producer = { send: async () => { sends += 1; throw new Error('Connecting after shutdown is not supported'); } } as unknown as Producer;
    const failures: Error[] = [];
    const lines: string[] = [];
    const worker = new InboxWorker(
      {
        tenant: tenantOf('client_a', [dataset]), dataset, layout, codec: createAvroCodec(dataset), producer,
        ingestionLog: { wasIngested: async () => false, recordFile: async () => undefined },
        logger: createLogger({}, { write: (line) => lines.push(line) }),
      },
      { rescanMs: 10, retryDelayMs: 1, maxEngineFailures: 3, onFailure: (error) => failures.push(error) },
    );
    worker.start();
    await expect.poll(() => failures.length, { timeout: 10_000 }).toBe(1);
    await worker.stop();
    const attempts = sends;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sends).toBe(attempts);
    expect(failures[0]?.message).toMatch(/^in\/: 3 engine failures in a row, the last: a\.csv: .*Connecting after shutdown is not supported/);
    expect(failures[0]?.name).toBe('EngineError');
    // the file waits in in/ for the next instance, nothing lost
    expect(fs.readdirSync(layout.inbox)).toContain('a.csv');
  });
});
