import type { Message } from 'kafkajs';
import { rejectionJson, type Rejection } from '../pipeline/rejection';

/** Headers every message of the runtime carries. */
export const HEADER_FILE = 'mysimbdp-file';
export const HEADER_ROW = 'mysimbdp-row';
export const HEADER_INGEST_TS = 'mysimbdp-ingest-ts';
/** DLQ only: the rule that rejected the row. */
export const HEADER_RULE = 'mysimbdp-rule';

/**
 * A rejected row as a `<client>.<dataset>.dlq` message: JSON value
 * `{tenant,dataset,file,record,reason,rule,field,value,raw}`, keyed by file so one file's rejects
 * stay in order on one partition.
 */
export function toDlqMessage(rejection: Rejection, ingestTs: number = Date.now()): Message {
  return {
    key: rejection.file,
    value: Buffer.from(JSON.stringify(rejectionJson(rejection)), 'utf8'),
    headers: {
      [HEADER_FILE]: rejection.file,
      [HEADER_ROW]: String(rejection.record),
      [HEADER_INGEST_TS]: String(ingestTs),
      [HEADER_RULE]: rejection.rule,
    },
  };
}
