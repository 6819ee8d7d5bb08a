import * as avro from 'avsc';
import { mapAvroFields } from '../cql/avro-to-cql';
import { ajvIssues, type ValidationIssue } from './issues';
import { scheduleIssues } from './parse-agreement';
import { parseResources, type RawResources } from './parse-resources';
import { schemaValidators } from './schemas';
import type { Agreement, Dataset, FieldSpec, FileType, QualityRule, QualityRuleKind } from './types';
import { Schedule } from './rules/cron';
import { tenantNameProblem } from './rules/dns-name';
import { reservedKeyspaceProblem, reservedTableProblem } from './rules/keyspace';

interface RawRule {
  name?: string; field: string; required?: true; min?: number; max?: number; pattern?: string;
  allowed?: (string | number)[]; max_age_days?: number;
}

interface RawDataset {
  name: string;
  file_type: FileType | FileType[];
  key_space: string;
  'csv.first.row.as.header'?: string | boolean;
  'csv.delimiter'?: string;
  'csv.quote'?: string;
  schema: { name: string; fields: unknown[] };
  primary_key: (string | string[])[];
  max_file_size_mb: number;
  max_files_per_run?: number;
  quality_rules?: RawRule[];
  schedule?: string;
  resources?: RawResources;
}

export interface DatasetSource {
  readonly file: string;
  readonly client: string;
  /** `datasets/<name>.json`: the name the file must declare, and the staging sub-folder. */
  readonly expectedName?: string;
}

const NUMERIC_TYPES = new Set(['int', 'bigint', 'float', 'double', 'decimal']);
const TIME_TYPES = new Set(['date', 'timestamp']);

/** Splits `primary_key` into partition and clustering columns, reporting structural problems. */
function primaryKey(file: string, raw: RawDataset['primary_key'], fields: readonly FieldSpec[], issues: ValidationIssue[]): { partition: string[]; clustering: string[] } {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const partition: string[] = [];
  const clustering: string[] = [];
  const seen = new Set<string>();
  const check = (name: string, path: string): void => {
    const field = byName.get(name);
    if (seen.has(name)) issues.push({ file, path, rule: 'primary-key-duplicate', message: 'names a column already in the primary key', value: name });
    else if (field === undefined) issues.push({ file, path, rule: 'primary-key-field', message: 'names no field of the Avro schema', value: name });
    else if (field.nullable) issues.push({ file, path, rule: 'primary-key-nullable', message: 'must not be a nullable field: primary key columns always have a value', value: name });
    else if (field.container !== undefined) issues.push({ file, path, rule: 'primary-key-type', message: `must not be a ${field.container} field`, value: name });
    seen.add(name);
  };
  raw.forEach((entry, i) => {
    if (Array.isArray(entry)) {
      if (i > 0) {
        issues.push({ file, path: `primary_key[${i}]`, rule: 'primary-key-form', message: 'only the first element may be a list (the composite partition key)', value: entry });
        return;
      }
      entry.forEach((name, j) => { check(name, `primary_key[0][${j}]`); partition.push(name); });
    } else if (typeof entry === 'string') {
      check(entry, `primary_key[${i}]`);
      (i === 0 ? partition : clustering).push(entry);
    }
  });
  return { partition, clustering };
}

function qualityRules(file: string, raw: readonly RawRule[], fields: readonly FieldSpec[], issues: ValidationIssue[]): QualityRule[] {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const rules: QualityRule[] = [];
  const names = new Set<string>();
  raw.forEach((r, i) => {
    const base = `quality_rules[${i}]`;
    const kinds: QualityRuleKind[] = [];
    if (r.required !== undefined) kinds.push('required');
    if (r.min !== undefined || r.max !== undefined) kinds.push('range');
    if (r.pattern !== undefined) kinds.push('pattern');
    if (r.allowed !== undefined) kinds.push('allowed');
    if (r.max_age_days !== undefined) kinds.push('timeliness');
    if (kinds.length !== 1) {
      issues.push({ file, path: base, rule: 'quality-rule-kind', message: `must have exactly one of required, min/max, pattern, allowed, max_age_days (found ${kinds.length === 0 ? 'none' : kinds.join(', ')})`, value: r });
      return;
    }
    const kind = kinds[0] as QualityRuleKind;
    const field = byName.get(r.field);
    if (field === undefined) {
      issues.push({ file, path: `${base}.field`, rule: 'quality-rule-field', message: 'names no field of the Avro schema', value: r.field });
      return;
    }
    const scalar = field.cqlType;
    if (kind === 'range' && !NUMERIC_TYPES.has(scalar)) {
      issues.push({ file, path: base, rule: 'quality-rule-type', message: `min/max needs a numeric field, "${r.field}" is ${scalar}`, value: r.field });
    } else if (kind === 'range' && r.min !== undefined && r.max !== undefined && r.min > r.max) {
      issues.push({ file, path: `${base}.min`, rule: 'quality-rule-range', message: `must not exceed max (${r.max})`, value: r.min });
    } else if (kind === 'timeliness' && !TIME_TYPES.has(scalar)) {
      issues.push({ file, path: base, rule: 'quality-rule-type', message: `max_age_days needs a date or timestamp field, "${r.field}" is ${scalar}`, value: r.field });
    } else if (kind === 'pattern') {
      try {
        new RegExp(r.pattern as string, 'u');
      } catch (err) {
        issues.push({ file, path: `${base}.pattern`, rule: 'quality-rule-pattern', message: `is not a valid regular expression: ${(err as Error).message}`, value: r.pattern });
      }
    }
    const name = r.name ?? `${r.field}.${kind}`;
    if (names.has(name)) issues.push({ file, path: r.name === undefined ? base : `${base}.name`, rule: 'quality-rule-name', message: 'is the name of another rule of this dataset', value: name });
    names.add(name);
    rules.push({
      name, field: r.field, kind,
      ...(r.min !== undefined ? { min: r.min } : {}),
      ...(r.max !== undefined ? { max: r.max } : {}),
      ...(r.pattern !== undefined ? { pattern: r.pattern } : {}),
      ...(r.allowed !== undefined ? { values: r.allowed } : {}),
      ...(r.max_age_days !== undefined ? { maxAgeDays: r.max_age_days } : {}),
    });
  });
  return rules;
}

/** Schema id used in the Confluent wire format when no registry is configured. */
export function schemaIdOf(type: avro.Type): number {
  return type.fingerprint('sha256').readUInt32BE(0) & 0x7fffffff;
}

/** Validates one dataset file once and turns it into a typed Dataset (schedule/resources resolved). */
export function parseDataset(source: DatasetSource, json: unknown, agreement: Agreement | undefined): { dataset?: Dataset; issues: ValidationIssue[] } {
  const { file } = source;
  const validate = schemaValidators().dataset;
  const issues = validate(json) ? [] : ajvIssues(file, json, validate.errors);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { issues };
  const raw = json as RawDataset;

  const keyspaceProblem = typeof raw.key_space === 'string' ? reservedKeyspaceProblem(raw.key_space) : undefined;
  if (keyspaceProblem !== undefined) issues.push({ file, path: 'key_space', rule: 'reserved-keyspace', message: keyspaceProblem, value: raw.key_space });
  const tableName = typeof raw.schema === 'object' && raw.schema !== null ? raw.schema.name : undefined;
  const tableProblem = typeof tableName === 'string' ? reservedTableProblem(tableName) : undefined;
  if (tableProblem !== undefined) issues.push({ file, path: 'schema.name', rule: 'reserved-table', message: tableProblem, value: tableName });
  const nameProblem = typeof raw.name === 'string' ? tenantNameProblem(raw.name) : undefined;
  if (nameProblem !== undefined) issues.push({ file, path: 'name', rule: 'dns-label', message: nameProblem, value: raw.name });
  if (source.expectedName !== undefined && typeof raw.name === 'string' && raw.name !== source.expectedName) {
    issues.push({ file, path: 'name', rule: 'dataset-file-name', message: `must equal the file name "${source.expectedName}"`, value: raw.name });
  }
  let type: avro.Type | undefined;
  let fields: FieldSpec[] = [];
  if (typeof raw.schema === 'object' && raw.schema !== null && Array.isArray(raw.schema.fields)) {
    const mapped = mapAvroFields(raw.schema.fields);
    fields = mapped.fields;
    issues.push(...mapped.problems.map((p) => ({ file, ...p })));
    // The field mapping names the exact path; avsc then catches what is left (duplicate names, bad defaults…).
    if (mapped.problems.length === 0) {
      try {
        type = avro.Type.forSchema(raw.schema as avro.Schema);
      } catch (err) {
        issues.push({ file, path: 'schema', rule: 'avro-schema', message: `is not a valid Avro schema: ${(err as Error).message}`, value: raw.schema.name });
      }
    }
  }
  const key = Array.isArray(raw.primary_key) ? primaryKey(file, raw.primary_key, fields, issues) : { partition: [], clustering: [] };
  const rules = qualityRules(file, Array.isArray(raw.quality_rules) ? raw.quality_rules : [], fields, issues);
  issues.push(...scheduleIssues(file, 'schedule', raw.schedule));
  const resources = typeof raw.resources === 'object' && raw.resources !== null ? parseResources(file, 'resources', raw.resources) : undefined;
  issues.push(...(resources?.issues ?? []));
  if (issues.length > 0 || type === undefined || agreement === undefined) return { issues };

  const fileTypes = Array.isArray(raw.file_type) ? raw.file_type : [raw.file_type];
  const header = raw['csv.first.row.as.header'] ?? true;
  const topic = `${source.client}.${raw.name}`;
  return {
    issues,
    dataset: {
      name: raw.name,
      file,
      fileTypes,
      keyspace: raw.key_space,
      table: raw.schema.name,
      schema: raw.schema as unknown as Readonly<Record<string, unknown>>,
      fields,
      partitionKey: key.partition,
      clusteringKey: key.clustering,
      csv: {
        header: header === true || header === 'true',
        delimiter: raw['csv.delimiter'] ?? ',',
        quote: raw['csv.quote'] ?? '"',
      },
      maxFileSizeMb: raw.max_file_size_mb,
      maxFileSizeBytes: Math.floor(raw.max_file_size_mb * 1024 * 1024),
      maxFilesPerRun: raw.max_files_per_run ?? 100,
      qualityRules: rules,
      // validated above; an override runs in the agreement's time zone
      schedule: raw.schedule === undefined ? agreement.schedule : (Schedule.parse(raw.schedule, agreement.schedule.timeZone) as Schedule),
      resources: resources?.resources ?? agreement.resources,
      topics: { main: topic, raw: `${topic}.raw`, dlq: `${topic}.dlq` },
      ...(source.expectedName !== undefined ? { stagingSubdir: source.expectedName } : {}),
      schemaId: schemaIdOf(type),
    },
  };
}

