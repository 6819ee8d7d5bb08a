import * as cassandra from 'cassandra-driver';
import { describe, expect, it } from 'vitest';
import { CassandraWriter, isTransientCassandraError, runLimited } from '../../../ingest/src/cassandra/cassandra-writer';
import { EngineError } from '../../../infra/errors';
import { seedDataset, tenantFrom } from '../helpers/tenant-dirs';

const dataset = tenantFrom('client_a', seedDataset('client_a', 'ks_unit')).datasets[0]!;
// Never connected: the constructor only builds the statement and checks options.
const client = new cassandra.Client({ contactPoints: ['127.0.0.1:1'], localDataCenter: 'datacenter1' });

describe('CassandraWriter options', () => {
  it('builds one INSERT with every column quoted', () => {
    expect(new CassandraWriter(client, dataset).insertCql).toBe(
      'INSERT INTO "ks_unit"."analytics" ("PROVINCECODE", "DEVICEID", "IFINDEX", "FRAME", "SLOT", "PORT", "ONUINDEX", "ONUID", "TIME", "SPEEDIN", "SPEEDOUT") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
  });

  it.each([
    [{ concurrency: 0 }, 'CassandraWriter: concurrency must be an integer >= 1, got 0'],
    [{ maxBatchRows: 1.5 }, 'CassandraWriter: maxBatchRows must be an integer >= 1, got 1.5'],
    [{ maxBatchBytes: -1 }, 'CassandraWriter: maxBatchBytes must be an integer >= 1, got -1'],
    [{ attempts: 0 }, 'CassandraWriter: attempts must be an integer >= 1, got 0'],
    [{ baseDelayMs: -5 }, 'CassandraWriter: baseDelayMs must be a number >= 0, got -5'],
    [{ maxDelayMs: Number.NaN }, 'CassandraWriter: maxDelayMs must be a number >= 0, got NaN'],
  ])('rejects %j', (options, message) => {
    expect(() => new CassandraWriter(client, dataset, options)).toThrow(new RangeError(message));
  });
});

describe('isTransientCassandraError', () => {
  const codes = cassandra.types.responseErrorCodes;
  it.each([
    [new cassandra.errors.ResponseError(codes.writeTimeout, 'timeout'), true],
    [new cassandra.errors.ResponseError(codes.overloaded, 'overloaded'), true],
    [new cassandra.errors.ResponseError(codes.unavailableException, 'unavailable'), true],
    [new cassandra.errors.ResponseError(codes.invalid, 'bad value'), false],
    [new cassandra.errors.ResponseError(codes.unauthorized, 'no'), false],
    [new cassandra.errors.OperationTimedOutError('slow'), true],
    [new cassandra.errors.NoHostAvailableError({}), true],
    [new EngineError('x', { retriable: true }), true],
    [new TypeError('Expected Number'), false],
  ])('%s → %s', (err, transient) => {
    expect(isTransientCassandraError(err)).toBe(transient);
  });
});

describe('runLimited', () => {
  it('never runs more than the limit at once and runs every item', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await runLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      done.push(n);
      running--;
    });
    expect(peak).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('starts nothing after the first error, lets running items finish, then throws it', async () => {
    const started: number[] = [];
    let finished = 0;
    const run = runLimited([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('boom 1');
      await new Promise((resolve) => setTimeout(resolve, 10));
      finished++;
    });
    await expect(run).rejects.toThrow('boom 1');
    expect(started).toEqual([1, 2]);
    expect(finished).toBe(1);
  });
});

describe('CassandraWriter packing', () => {
  const reviews = tenantFrom('client_b', seedDataset('client_b', 'ks_unit')).datasets[0]!;
  const review = (product: string, review: string): Record<string, unknown> => ({
    marketplace: 'US', customer_id: 'C1', review_id: review, product_id: product, product_parent: '1', product_title: 't', product_category: 'c',
    star_rating: 5, helpful_votes: 0, total_votes: 0, vine: 'N', verified_purchase: 'Y', review_headline: 'h', review_body: 'b', review_date: '2024-01-02',
  });
  /** A client that answers every statement and records its size (1 for a single INSERT). */
  const recording = () => {
    const sizes: number[] = [];
    const fake = {
      execute: async () => void sizes.push(1),
      batch: async (queries: unknown[], options: { logged: boolean }) => {
        if (options.logged) throw new Error('expected unlogged batches');
        sizes.push(queries.length);
      },
    } as unknown as cassandra.Client;
    return { fake, sizes };
  };

  it('sends one statement per partition by default', async () => {
    const { fake, sizes } = recording();
    const rows = Array.from({ length: 120 }, (_, i) => review(`P${i}`, 'R1'));
    await expect(new CassandraWriter(fake, reviews).write(rows)).resolves.toMatchObject({ rows: 120, partitions: 120, statements: 120 });
    await expect(sizes.every((n) => n === 1)).toBe(true);
  });

  it('packs whole one-row partitions into batches of maxBatchPartitions, and splits a big partition on its own', async () => {
    const { fake, sizes } = recording();
    const small = Array.from({ length: 120 }, (_, i) => review(`P${i}`, 'R1'));
    const big = Array.from({ length: 250 }, (_, i) => review('BIG', `R${i}`));
    const result = await new CassandraWriter(fake, reviews, { maxBatchPartitions: 50 }).write([...small, ...big]);
    await expect(result).toMatchObject({ rows: 370, partitions: 121, statements: 5 });
    await expect([...sizes].sort((a, b) => a - b)).toEqual([20, 50, 50, 50, 200]);
  });

  it('refuses maxBatchPartitions below one', async () => {
    await expect(() => new CassandraWriter(client, reviews, { maxBatchPartitions: 0 })).toThrow(new RangeError('CassandraWriter: maxBatchPartitions must be an integer >= 1, got 0'));
  });
});
