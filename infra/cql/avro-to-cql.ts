import type { AvroPrimitive, FieldSpec, LogicalType } from '../tenant/types';

// Avro → CQL, as fixed by DESIGN.md. Only flat records: nested records and fixed have no faithful
// column form, so they are refused rather than silently stored as text.

const PRIMITIVE_CQL: Readonly<Record<AvroPrimitive, string>> = {
  string: 'text', int: 'int', long: 'bigint', float: 'float', double: 'double', boolean: 'boolean', bytes: 'blob',
};

const LOGICAL_CQL: Readonly<Record<LogicalType, string>> = {
  date: 'date', 'timestamp-millis': 'timestamp', 'timestamp-micros': 'timestamp', decimal: 'decimal', uuid: 'uuid',
};

/** Avro types each logical type may annotate; `string` forms are the seed's textual encodings. */
const LOGICAL_BASES: Readonly<Record<LogicalType, readonly AvroPrimitive[]>> = {
  date: ['int', 'string'],
  'timestamp-millis': ['long', 'string'],
  'timestamp-micros': ['long', 'string'],
  decimal: ['bytes', 'string'],
  uuid: ['string'],
};

export interface FieldProblem {
  /** JSON path relative to the dataset file, e.g. `schema.fields[3].type`. */
  readonly path: string;
  readonly rule: string;
  readonly message: string;
  readonly value: unknown;
}

// Own keys only: `in` would take "constructor" or "toString" for a type.
const isPrimitive = (t: unknown): t is AvroPrimitive => typeof t === 'string' && Object.hasOwn(PRIMITIVE_CQL, t);
const isObject = (t: unknown): t is Record<string, unknown> => typeof t === 'object' && t !== null && !Array.isArray(t);

/** Maps each field of an Avro record schema to its column; problems name the JSON path. */
export function mapAvroFields(fields: readonly unknown[]): { fields: FieldSpec[]; problems: FieldProblem[] } {
  const specs: FieldSpec[] = [];
  const problems: FieldProblem[] = [];
  const names = new Set<string>();
  fields.forEach((raw, i) => {
    const base = `schema.fields[${i}]`;
    if (!isObject(raw) || typeof raw.name !== 'string') return; // the JSON Schema already reported it
    const problem = (path: string, rule: string, message: string, value: unknown): void => {
      problems.push({ path: `${base}${path}`, rule, message, value });
    };
    if (names.has(raw.name)) {
      problem('.name', 'avro-duplicate-field', 'is the name of an earlier field', raw.name);
      return;
    }
    // Assigning it sets an object's prototype: csv rows and avsc's decoded records would lose the column.
    if (raw.name === '__proto__') {
      problem('.name', 'avro-field-name', 'cannot name a column: JavaScript objects cannot hold a field of this name', raw.name);
      return;
    }
    names.add(raw.name);
    let type = raw.type;
    let nullable = false;
    if (Array.isArray(type)) {
      const others = type.filter((t) => t !== 'null');
      if (type.length !== 2 || others.length !== 1) {
        problem('.type', 'avro-union', 'unions are supported only as ["null", T] (a nullable column)', type);
        return;
      }
      nullable = true;
      type = others[0];
    }
    const logicalRaw = (isObject(type) ? type.logicalType : undefined) ?? raw.logicalType;
    let avroType: AvroPrimitive;
    let itemType: AvroPrimitive | undefined;
    let container: 'array' | 'map' | undefined;
    let symbols: readonly string[] | undefined;
    const named = isObject(type) ? type.type : type;
    if (isPrimitive(named)) {
      avroType = named;
    } else if (named === 'enum' && isObject(type)) {
      avroType = 'string';
      symbols = type.symbols as string[];
    } else if ((named === 'array' || named === 'map') && isObject(type)) {
      const inner = named === 'array' ? type.items : type.values;
      if (!isPrimitive(inner)) {
        problem('.type', 'avro-type', `${named} ${named === 'array' ? 'items' : 'values'} must be a primitive type`, inner);
        return;
      }
      avroType = inner;
      itemType = inner;
      container = named;
    } else {
      problem('.type', 'avro-type', 'is not supported as a column: use a primitive, enum, array or map of primitives, or a ["null", T] union (nested records and fixed must be flattened)', named);
      return;
    }
    let logicalType: LogicalType | undefined;
    if (logicalRaw !== undefined) {
      const where = isObject(type) && type.logicalType !== undefined ? '.type.logicalType' : '.logicalType';
      if (typeof logicalRaw !== 'string' || !Object.hasOwn(LOGICAL_CQL, logicalRaw)) {
        problem(where, 'avro-logical-type', `must be one of ${Object.keys(LOGICAL_CQL).join(', ')}`, logicalRaw);
        return;
      }
      logicalType = logicalRaw as LogicalType;
      if (container !== undefined || !LOGICAL_BASES[logicalType].includes(avroType)) {
        problem(where, 'avro-logical-type', `${logicalType} annotates ${LOGICAL_BASES[logicalType].join(' or ')}, not ${container ?? avroType}`, logicalRaw);
        return;
      }
    }
    let decimal: { precision: number; scale: number } | undefined;
    if (logicalType === 'decimal') {
      // precision and scale sit beside the logicalType that declares them: on the type, or on the field
      const onType = isObject(type) && type.logicalType !== undefined;
      const annotated = (onType ? type : raw) as Record<string, unknown>;
      const where = onType ? '.type' : '';
      const precision = annotated.precision ?? 38;
      const scale = annotated.scale ?? 0;
      if (typeof precision !== 'number' || !Number.isInteger(precision) || precision < 1) {
        problem(`${where}.precision`, 'avro-decimal', 'must be an integer of at least 1', precision);
        return;
      }
      if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 0 || scale > precision) {
        problem(`${where}.scale`, 'avro-decimal', `must be an integer from 0 to the precision (${precision})`, scale);
        return;
      }
      decimal = { precision, scale };
    }
    const scalar = logicalType !== undefined ? LOGICAL_CQL[logicalType] : PRIMITIVE_CQL[avroType];
    const cqlType = container === 'array' ? `list<${scalar}>` : container === 'map' ? `map<text, ${scalar}>` : scalar;
    specs.push({
      name: raw.name,
      avroType,
      cqlType,
      nullable,
      ...(logicalType !== undefined ? { logicalType } : {}),
      ...(decimal !== undefined ? { decimal } : {}),
      ...(container !== undefined ? { container, itemType } : {}),
      ...(symbols !== undefined ? { symbols } : {}),
      ...('default' in raw ? { default: raw.default } : {}),
    });
  });
  return { fields: specs, problems };
}
