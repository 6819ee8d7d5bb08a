import { describe, expect, it } from 'vitest';
import { toDlqMessage } from '../../../ingest/src/kafka/dlq';

describe('toDlqMessage', () => {
  it('builds the JSON value, key and headers of a rejected row', async () => {
    const msg = toDlqMessage(
      { tenant: 'client_a', dataset: 'speed', file: 'a.csv', record: 7, reason: 'IFINDEX: "x" is not an int', rule: 'schema', field: 'IFINDEX', value: 'x', raw: { IFINDEX: 'x' } },
      1_700_000_000_000,
    );
    await expect(msg.key).toBe('a.csv');
    await expect(JSON.parse((msg.value as Buffer).toString('utf8'))).toEqual({
      tenant: 'client_a', dataset: 'speed', file: 'a.csv', record: 7, reason: 'IFINDEX: "x" is not an int', rule: 'schema', field: 'IFINDEX', value: 'x', raw: { IFINDEX: 'x' },
    });
    await expect(msg.headers).toEqual({ 'mysimbdp-file': 'a.csv', 'mysimbdp-row': '7', 'mysimbdp-ingest-ts': '1700000000000', 'mysimbdp-rule': 'schema' });
  });

  it('writes null for an absent field and value', async () => {
    const msg = toDlqMessage({ tenant: 't', dataset: 'd', file: 'f.csv', record: 1, reason: 'unclosed quote', rule: 'parse', raw: 'a,"b' });
    const value = JSON.parse((msg.value as Buffer).toString('utf8'));
    await expect(value.field).toBeNull();
    await expect(value.value).toBeNull();
    await expect(value.raw).toBe('a,"b');
  });
});
