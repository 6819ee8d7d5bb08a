import type { Dataset } from '../../../infra/tenant/types';
import { compileQualityRules } from '../quality/quality-rules';
import type { RawRecord } from '../readers/raw-record';
import { primaryKeyOf } from '../wrangle/primary-key';
import { createRowConverter } from '../wrangle/row-converter';
import type { Rejection } from './rejection';

/** Rule name of rows that could not be read, and of values that do not fit the Avro schema. */
export const RULE_PARSE = 'parse';
export const RULE_SCHEMA = 'schema';

export type Processed =
  | { readonly ok: true; readonly row: Record<string, unknown>; readonly key: string }
  | { readonly ok: false; readonly rejection: Rejection; /** every rule the row failed, for the quality counts */ readonly rules: readonly string[] };

/** One raw record → a converted row with its key, or a rejection: read → convert (Avro types) → quality rules. */
export type RecordProcessor = (rec: RawRecord) => Processed;

export interface ProcessorContext {
  readonly tenant: string;
  readonly dataset: Dataset;
  /** Source name for rejections: the file, or `<topic>@<partition>`. */
  readonly source: string;
  /** Instant timeliness rules judge against. */
  readonly now: number;
}

export function createRecordProcessor(ctx: ProcessorContext): RecordProcessor {
  const { tenant, dataset, source } = ctx;
  const convert = createRowConverter(dataset);
  const quality = compileQualityRules(dataset, ctx.now);
  const keyOf = primaryKeyOf(dataset);
  const reject = (rec: RawRecord, rule: string, reason: string, field?: string, value?: unknown): Rejection => ({
    tenant, dataset: dataset.name, file: source, record: rec.record, reason, rule, field, value, raw: rec.fields ?? rec.text,
  });
  return (rec) => {
    if (rec.fields === undefined) return { ok: false, rejection: reject(rec, RULE_PARSE, rec.error ?? `record ${rec.record}: unreadable`), rules: [RULE_PARSE] };
    const conversion = convert(rec.fields);
    if (conversion.invalid !== undefined) {
      const { field, value, reason } = conversion.invalid;
      return { ok: false, rejection: reject(rec, RULE_SCHEMA, reason, field, value), rules: [RULE_SCHEMA] };
    }
    const failures = quality(conversion.row);
    if (failures.length > 0) {
      const first = failures[0]!;
      return { ok: false, rejection: reject(rec, first.rule, first.reason, first.field, first.value), rules: failures.map((f) => f.rule) };
    }
    return { ok: true, row: conversion.row, key: keyOf(conversion.row) };
  };
}
