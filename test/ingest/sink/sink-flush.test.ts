import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { latestPerKey, type DecodedMessage } from '../../../ingest/src/sink/sink-flush';
import { primaryKeyOf } from '../../../ingest/src/wrangle/primary-key';
import { seedDataset, tenantFrom } from '../helpers/tenant-dirs';

const dataset = tenantFrom('client_a', seedDataset('client_a', 'ks_unit')).datasets[0]!;
const keyOf = primaryKeyOf(dataset);

function message(offset: number, record: Record<string, unknown>, order = 1_000 + offset): DecodedMessage {
  return { record, message: { offset: String(offset), key: null, value: null, timestamp: '0', attributes: 0, headers: {} } as KafkaMessage, order };
}

const row = (p: string, d: string, onu: number, speed: number): Record<string, unknown> => ({ PROVINCECODE: p, DEVICEID: d, ONUID: onu, SPEEDIN: speed });

describe('latestPerKey', () => {
  it('keeps the version with the highest write order, not the last one read: a replayed older version must not hide the newer one', async () => {
    const decoded = [
      message(7, row('P1', 'D1', 1, 2), 2_000), // the newer version (a later file)
      message(8, row('P1', 'D1', 1, 1), 1_000), // the older file, re-sent after it
      message(9, row('P2', 'D1', 1, 3), 5_000),
      message(10, row('P2', 'D1', 1, 4), 5_000), // same order: the later message wins
    ];
    expect(latestPerKey(decoded, keyOf).map((d) => [d.message.offset, d.record.SPEEDIN])).toEqual([
      ['7', 2],
      ['10', 4],
    ]);
  });

  it('keeps the last version of each primary key (all key columns), first-seen order', () => {
    const decoded = [
      message(0, row('P1', 'D1', 1, 1)),
      message(1, row('P1', 'D1', 2, 2)), // other clustering value: another key
      message(2, row('P1', 'D1', 1, 3)), // later version of offset 0
      message(3, row('P2', 'D1', 1, 4)),
      message(4, row('P1', 'D1', 1, 5)), // latest version of offset 0
    ];
    expect(latestPerKey(decoded, keyOf).map((d) => [d.message.offset, d.record.SPEEDIN])).toEqual([
      ['4', 5],
      ['1', 2],
      ['3', 4],
    ]);
  });

  it('keeps everything when keys are distinct, and nothing from nothing', () => {
    const decoded = [message(0, row('P1', 'D1', 1, 1)), message(1, row('P1', 'D2', 1, 1))];
    expect(latestPerKey(decoded, keyOf)).toEqual(decoded);
    expect(latestPerKey([], keyOf)).toEqual([]);
  });
});
