import * as fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readStackConfigFile } from '../../../infra/stack/stack-settings';
import { synthesize } from '../../../infra/synth/synthesize';
import { loadTenants } from '../../../infra/tenant/load-tenants';
import { REPO_ROOT } from '../../helpers/cli';
import { seed, writeTenants } from '../../helpers/tenant-files';
import { CPUS, MEMORIES, NEXT_TIME_SCHEDULES, SCHEDULES, TIME_ZONES } from '../../fixtures/contract-corpus';

// A green `validate` must mean a green `synth` for every stack: generated agreements, with values
// drawn from the contract's corpus (valid and not) and from fast-check's own strings and numbers.

const STACKS = fs.readdirSync(REPO_ROOT).flatMap((f) => /^Pulumi\.([\w-]+)\.yaml$/.exec(f)?.[1] ?? []);
/** Mostly corpus values (about half of them valid), sometimes any string; absent half of the time. */
const drawn = <T>(pool: fc.Arbitrary<T>, any: fc.Arbitrary<T>) => fc.option(fc.oneof({ arbitrary: pool, weight: 6 }, { arbitrary: any, weight: 1 }), { freq: 2, nil: undefined });

const agreementChanges = fc.record({
  schedule: drawn(fc.constantFrom(...SCHEDULES, ...NEXT_TIME_SCHEDULES), fc.string({ maxLength: 14 })),
  time_zone: drawn(fc.constantFrom(...TIME_ZONES), fc.string({ maxLength: 8 })),
  data_retention_period_days: drawn<number | string>(fc.double({ min: -2, max: 4000, noNaN: true }), fc.constantFrom('7', '1.5', '.5', '0', '7 days', '1e3')),
  requestsCpu: drawn(fc.constantFrom(...CPUS), fc.string({ maxLength: 6 })),
  limitsCpu: drawn(fc.constantFrom(...CPUS), fc.string({ maxLength: 6 })),
  requestsMemory: drawn(fc.constantFrom(...MEMORIES), fc.string({ maxLength: 6 })),
  limitsMemory: drawn(fc.constantFrom(...MEMORIES), fc.string({ maxLength: 6 })),
  partitions: drawn(fc.integer({ min: 1, max: 64 }), fc.integer({ min: -1, max: 0 })),
});

describe('validate green ⇒ synth green', () => {
  it(`for generated agreements, on every stack (${STACKS.join(', ')})`, async () => {
    const settings = STACKS.map((stack) => readStackConfigFile(REPO_ROOT, stack));
    let valid = 0;
    fc.assert(
      fc.property(agreementChanges, (change) => {
        const agreement = seed.agreementA() as Record<string, any>;
        for (const key of ['schedule', 'time_zone', 'data_retention_period_days'] as const) if (change[key] !== undefined) agreement[key] = change[key];
        if (change.requestsCpu !== undefined) agreement.resources.requests.cpu = change.requestsCpu;
        if (change.limitsCpu !== undefined) agreement.resources.limits.cpu = change.limitsCpu;
        if (change.requestsMemory !== undefined) agreement.resources.requests.memory = change.requestsMemory;
        if (change.limitsMemory !== undefined) agreement.resources.limits.memory = change.limitsMemory;
        if (change.partitions !== undefined) agreement.kafka = { partitions: change.partitions };
        const dir = writeTenants({ client_a: { agreement, dataset: seed.datasetA() } });
        try {
          const loaded = loadTenants(dir);
          if (loaded.issues.length > 0) return;
          valid++;
          for (const s of settings) synthesize(loaded.tenants, s);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 1000, seed: 20261203 },
    );
    // the generator reaches both sides
    expect(valid).toBeGreaterThan(20);
  }, 120_000);
});
