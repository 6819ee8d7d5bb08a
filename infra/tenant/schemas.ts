import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';

export const SCHEMA_DIR = path.join(__dirname, 'schemas');

interface Validators {
  readonly dataset: ValidateFunction;
  readonly agreement: ValidateFunction;
}

let validators: Validators | undefined;

/** The two tenant-file JSON Schemas, compiled once on first use (not at import). */
export function schemaValidators(): Validators {
  if (validators === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    const read = (name: string): object => JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, name), 'utf8')) as object;
    ajv.addSchema(read('agreement.schema.json'));
    ajv.addSchema(read('dataset.schema.json'));
    validators = {
      agreement: ajv.getSchema('https://mysimbdp.io/schemas/agreement.schema.json') as ValidateFunction,
      dataset: ajv.getSchema('https://mysimbdp.io/schemas/dataset.schema.json') as ValidateFunction,
    };
  }
  return validators;
}
