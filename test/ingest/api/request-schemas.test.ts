import Ajv from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DATASET_NAME_SCHEMA, TENANT_ID_SCHEMA } from '../../../ingest/src/api/request-schemas';
import { clientIdProblem } from '../../../infra/tenant/rules/client-id';
import { tenantNameProblem } from '../../../infra/tenant/rules/dns-name';

const ajv = new Ajv();
// Mostly strings near the rules (their characters and a few others), sometimes any string.
const nearly = (chars: string): fc.Arbitrary<string> =>
  fc.oneof({ arbitrary: fc.string({ unit: fc.constantFrom(...chars), maxLength: 45 }), weight: 4 }, { arbitrary: fc.string({ unit: 'grapheme', maxLength: 45 }), weight: 1 });

describe('request schemas', () => {
  it('TENANT_ID_SCHEMA accepts exactly the client ids of the tenant contract', async () => {
    const valid = ajv.compile(TENANT_ID_SCHEMA);
    await expect(fc.assert(fc.property(nearly('abz09_-A.\n'), (id) => valid(id) === (clientIdProblem(id) === undefined)), { numRuns: 2000 })).toBeUndefined();
  });

  it('DATASET_NAME_SCHEMA accepts exactly the dataset names of the tenant contract', async () => {
    const valid = ajv.compile(DATASET_NAME_SCHEMA);
    await expect(fc.assert(fc.property(nearly('az09-_A.\n'), (name) => valid(name) === (tenantNameProblem(name) === undefined)), { numRuns: 2000 })).toBeUndefined();
  });
});
