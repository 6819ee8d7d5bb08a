/* eslint-disable @typescript-eslint/no-require-imports */
import { createFastRecordEncoder, type RecordEncoder } from './fast-record-encoder';
import { groupMessagesPerPartition } from './partition-grouping';

const RECORD_MODULE = 'kafkajs/src/protocol/recordBatch/record/v0';
const GROUPING_MODULE = 'kafkajs/src/producer/groupMessagesPerPartition';
/** Modules that capture the patched ones when they load. */
const DEPENDENTS = ['kafkajs/src/protocol/requests/produce/v3/request', 'kafkajs/src/producer/sendMessages'];

/**
 * Swaps two kafkajs 2.2 producer hot spots for drop-ins with the same output (each tested against
 * the original): the record encoder and the per-partition grouping of a send. It edits the module
 * cache, so it must run before anything requires kafkajs — the CLI does it first. Returns false,
 * changing nothing, when kafkajs is already loaded; kafkajs then works as published.
 */
export function installKafkajsPatches(): boolean {
  if (DEPENDENTS.some((m) => require.cache[require.resolve(m)] !== undefined)) return false;
  const recordPath = require.resolve(RECORD_MODULE);
  const original = require(recordPath) as RecordEncoder;
  const groupingPath = require.resolve(GROUPING_MODULE);
  require(groupingPath);
  const [record, grouping] = [require.cache[recordPath], require.cache[groupingPath]];
  if (record === undefined || grouping === undefined) return false;
  record.exports = createFastRecordEncoder(require('kafkajs/src/protocol/encoder') as { prototype: object }, original);
  grouping.exports = groupMessagesPerPartition;
  return true;
}
