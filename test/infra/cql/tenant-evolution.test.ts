import { describe, expect, it } from 'vitest';
import { evolutionAgainst } from '../../../infra/cql/tenant-evolution';
import { loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { clientA } from '../../helpers/tenant-files';

const before = loadTenantsOrThrow(clientA());
const after = (change: Parameters<typeof clientA>[0]) => loadTenantsOrThrow(clientA(change));
type Fields = { fields: unknown[] };

describe('evolutionAgainst', () => {
  it('finds nothing when nothing changed', async () => {
    await expect(Promise.resolve(evolutionAgainst(before, after(() => undefined)))).resolves.toEqual([]);
  });
  it('plans an ALTER for a new nullable field', async () => {
    const next = after((_a, d) => { (d.schema as Fields).fields.push({ name: 'note', type: ['null', 'string'], default: null }); });
    await expect(Promise.resolve(evolutionAgainst(before, next).map((e) => [e.client, e.dataset, e.statements, e.refusals]))).resolves.toEqual([
      ['client_a', 'speed-tracking-data', ['ALTER TABLE "mysimbdp_coredms"."analytics" ADD "note" text'], []],
    ]);
  });
  it('refuses a changed type and a moved table', async () => {
    const retyped = after((_a, d) => { (d.schema as { fields: { type: unknown }[] }).fields[9]!.type = 'float'; });
    await expect(Promise.resolve(evolutionAgainst(before, retyped)[0]!.refusals)).resolves.toEqual(['table mysimbdp_coredms.analytics: column "SPEEDIN" type change from double to float is refused']);
    const moved = after((_a, d) => { d.key_space = 'elsewhere'; });
    await expect(Promise.resolve(evolutionAgainst(before, moved)[0]!.refusals)).resolves.toEqual([
      'table mysimbdp_coredms.analytics: moving the dataset to elsewhere.analytics is refused (the existing rows would be left behind; add a new dataset instead)',
    ]);
  });
  it('ignores new datasets', async () => {
    await expect(Promise.resolve(evolutionAgainst([], before))).resolves.toEqual([]);
  });
});
