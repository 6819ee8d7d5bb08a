import { describe, expect, it } from 'vitest';
import { planEvolution } from '../../../infra/cql/schema-evolution';
import type { FieldSpec } from '../../../infra/tenant/types';

const field = (name: string, cqlType: string, nullable = false): FieldSpec => ({ name, cqlType, nullable, avroType: 'string' });
const dataset = (fields: FieldSpec[], partitionKey = ['id'], clusteringKey: string[] = []) => ({ keyspace: 'ks', table: 't', fields, partitionKey, clusteringKey });
const existing = { columns: [{ name: 'id', cqlType: 'text' }, { name: 'n', cqlType: 'int' }, { name: 'm', cqlType: 'map<text, int>' }], partitionKey: ['id'], clusteringKey: [] };
const base = [field('id', 'text'), field('n', 'int'), field('m', 'map<text, int>')];

describe('planEvolution', () => {
  it('plans nothing for an unchanged table (collection spacing ignored)', async () => {
    await expect(Promise.resolve(planEvolution(dataset([field('id', 'text'), field('n', 'int'), field('m', 'map<text,int>')]), existing))).resolves.toEqual({ statements: [], refusals: [] });
  });
  it('adds a nullable field with ALTER TABLE ADD', async () => {
    await expect(Promise.resolve(planEvolution(dataset([...base, field('note', 'text', true)]), existing))).resolves.toEqual({
      statements: ['ALTER TABLE "ks"."t" ADD "note" text'], refusals: [],
    });
  });
  it('refuses a new non-nullable field', async () => {
    await expect(Promise.resolve(planEvolution(dataset([...base, field('x', 'int')]), existing).refusals)).resolves.toEqual([
      'table ks.t: new column "x" must be nullable (a ["null", T] union): existing rows have no value for it',
    ]);
  });
  it('refuses a type change', async () => {
    await expect(Promise.resolve(planEvolution(dataset([field('id', 'text'), field('n', 'bigint'), base[2]!]), existing).refusals)).resolves.toEqual([
      'table ks.t: column "n" type change from int to bigint is refused',
    ]);
  });
  it('refuses a removed column', async () => {
    await expect(Promise.resolve(planEvolution(dataset([field('id', 'text'), field('n', 'int')]), existing).refusals)).resolves.toEqual([
      'table ks.t: removing column "m" is refused (its data would become unreachable)',
    ]);
  });
  it('refuses a primary key change', async () => {
    await expect(Promise.resolve(planEvolution(dataset(base, ['id'], ['n']), existing).refusals)).resolves.toEqual([
      'table ks.t: primary key change from ["id"] to ["id","n"] is refused (a new primary key needs a new table)',
    ]);
    await expect(Promise.resolve(planEvolution(dataset(base, ['id', 'n']), existing).refusals)).resolves.toEqual([
      'table ks.t: primary key change from ["id"] to [["id","n"]] is refused (a new primary key needs a new table)',
    ]);
  });
});
