import { describe, expect, it } from 'vitest';
import { fileOrder, HEADER_ORDER, messageOrder, orderOf } from '../../../ingest/src/kafka/write-order';

describe('write order', () => {
  it('a file: its modification time in µs', async () => {
    expect(fileOrder(1_764_720_000_123_456_789n)).toBe(1_764_720_000_123_456);
  });

  it('a message without the header: its timestamp in µs', async () => {
    expect(messageOrder({ timestamp: '1764720000123' })).toBe(1_764_720_000_123_000);
    expect(messageOrder({ timestamp: '-1' })).toBe(0);
  });

  it('the header when the producer set it, else the message\'s own order', async () => {
    const base = { timestamp: '1764720000123', offset: '5' };
    expect(orderOf({ ...base, headers: { [HEADER_ORDER]: Buffer.from('1700000000000001') } })).toBe(1_700_000_000_000_001);
    expect(orderOf({ ...base, headers: {} })).toBe(1_764_720_000_123_000);
    // a file dated 1970 keeps its own (deterministic) order, and a repeated header counts once
    expect(orderOf({ ...base, headers: { [HEADER_ORDER]: Buffer.from('0') } })).toBe(0);
    expect(orderOf({ ...base, headers: { [HEADER_ORDER]: [Buffer.from('7'), Buffer.from('9')] } })).toBe(7);
    expect(orderOf({ ...base, headers: { [HEADER_ORDER]: Buffer.from('soon') } })).toBe(1_764_720_000_123_000);
  });
});
