/* eslint-disable @typescript-eslint/no-require-imports */
import { createFastRecordBatchDecoder, type RecordBatchDecoder } from './fast-record-batch-decoder';
import { createFastProduceRequest, type KafkajsEncoder, type KafkajsLongClass, type ProduceRequestFactory } from './fast-produce-request';
import { createFastRecordEncoder, type RecordEncoder } from './fast-record-encoder';
import { groupMessagesPerPartition } from './partition-grouping';

const RECORD_MODULE = 'kafkajs/src/protocol/recordBatch/record/v0';
const GROUPING_MODULE = 'kafkajs/src/producer/groupMessagesPerPartition';
const REQUEST_MODULE = 'kafkajs/src/protocol/requests/produce/v3/request';
const BATCH_DECODER_MODULE = 'kafkajs/src/protocol/recordBatch/v0/decoder';
/** Modules that capture the patched ones when they load (produce v4 to v7 extend v3; every fetch response decodes with v4's). */
const DEPENDENTS = [
  REQUEST_MODULE,
  'kafkajs/src/producer/sendMessages',
  ...[4, 5, 6, 7].map((v) => `kafkajs/src/protocol/requests/produce/v${v}/request`),
  'kafkajs/src/protocol/requests/fetch/v4/decodeMessages',
];

/**
 * Swaps four kafkajs 2.2 hot spots for drop-ins with the same output (each tested against the
 * original): the record encoder, the per-partition grouping of a send, the produce request (one
 * buffer per record batch), and the fetched record batches' decoder. It edits the module cache, so it must run before anything requires
 * kafkajs — the CLI does it first. Returns false, changing nothing, when kafkajs is already loaded;
 * kafkajs then works as published.
 */
export function installKafkajsPatches(): boolean {
  if (DEPENDENTS.some((m) => require.cache[require.resolve(m)] !== undefined)) return false;
  const recordPath = require.resolve(RECORD_MODULE);
  const original = require(recordPath) as RecordEncoder;
  const groupingPath = require.resolve(GROUPING_MODULE);
  require(groupingPath);
  const [record, grouping] = [require.cache[recordPath], require.cache[groupingPath]];
  if (record === undefined || grouping === undefined) return false;
  const Encoder = require('kafkajs/src/protocol/encoder') as new () => KafkajsEncoder;
  record.exports = createFastRecordEncoder(Encoder, original);
  grouping.exports = groupMessagesPerPartition;
  // Loaded after the record patch, so its fallback (compressed batches) uses the fast records too.
  const requestPath = require.resolve(REQUEST_MODULE);
  const originalRequest = require(requestPath) as ProduceRequestFactory;
  require.cache[requestPath]!.exports = createFastProduceRequest(Encoder, require('kafkajs/src/utils/long') as KafkajsLongClass, originalRequest);
  const decoderPath = require.resolve(BATCH_DECODER_MODULE);
  const originalDecoder = require(decoderPath) as RecordBatchDecoder;
  require.cache[decoderPath]!.exports = createFastRecordBatchDecoder(originalDecoder);
  return true;
}
