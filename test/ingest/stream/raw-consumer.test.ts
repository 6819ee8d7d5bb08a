import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../../infra/json-depth';
import { MAX_ERROR_TEXT } from '../../../ingest/src/readers/raw-record';
import { messageRecord, streamGroupId } from '../../../ingest/src/stream/raw-consumer';
import { clientA, tenantOf } from '../helpers/datasets';

const message = (value: string | null, offset = '41'): KafkaMessage => ({ key: null, value: value === null ? null : Buffer.from(value), offset, timestamp: '0', attributes: 0, headers: {} }) as KafkaMessage;

describe('raw-topic messages as records', () => {
  it('turns a JSON object into fields, numbered within the batch, line = offset', () => {
    expect(messageRecord(message('{"PROVINCECODE":"P1","IFINDEX":3}'), 4, 2)).toEqual({ record: 5, line: 41, fields: { PROVINCECODE: 'P1', IFINDEX: 3 } });
  });

  it.each([
    ['{"a":', /^message at partition 2 offset 41 is not valid JSON: /],
    ['[1,2]', /^message at partition 2 offset 41 is not a JSON object$/],
    ['"text"', /^message at partition 2 offset 41 is not a JSON object$/],
    ['null', /^message at partition 2 offset 41 is not a JSON object$/],
  ])('rejects %j naming partition and offset, keeping the text', (value, error) => {
    const rec = messageRecord(message(value), 0, 2);
    expect(rec.error).toMatch(error);
    expect(rec.text).toBe(value);
    expect(rec.fields).toBeUndefined();
  });

  it('rejects an object nested deeper than MAX_JSON_DEPTH, keeping the start of its text', () => {
    const value = `{"a":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`;
    expect(messageRecord(message(value), 0, 2)).toEqual({ record: 1, line: 41, error: 'message at partition 2 offset 41 is nested deeper than 1000 levels', text: value.slice(0, MAX_ERROR_TEXT) });
  });

  it('rejects a message without value', () => {
    expect(messageRecord(message(null), 0, 0)).toEqual({ record: 1, line: 41, error: 'message at partition 0 offset 41 has no value' });
  });

  it('names the consumer group under the tenant prefix', () => {
    expect(streamGroupId(tenantOf('client_a', [clientA()]), clientA())).toBe('client_a.stream.speed-tracking-data');
  });
});
