import { describe, expect, it } from 'vitest';
import { Health } from '../../../ingest/src/http/health';

describe('Health', () => {
  it('is live but not ready while starting, ready once marked, and neither after a failure', async () => {
    const health = new Health();
    expect(health.report).toEqual({ live: true, ready: false, reason: 'starting' });
    health.markReady();
    expect(health.report).toEqual({ live: true, ready: true });
    health.markNotReady('rebalancing');
    expect(health.report).toEqual({ live: true, ready: false, reason: 'rebalancing' });
    health.fail(new Error('Kafka is gone'));
    health.fail(new Error('a later error'));
    health.markReady();
    expect(health.report).toEqual({ live: false, ready: false, reason: 'Kafka is gone' });
  });
});
