import { describe, expect, it } from 'vitest';
import { readSummary } from '../../../ingest/src/fuzz/schemathesis-run';

describe('readSummary', () => {
  it('reads a clean run', async () => {
    const report = 'Test cases:\n  953 generated, 953 passed, 4 skipped\n\nSeed: 1933315570\n\n=== No issues found in 11.34s ===\n';
    await expect(readSummary(report)).toEqual({ testCases: 953, failures: 0, seed: '1933315570' });
  });

  it('reads a run with failures', async () => {
    const report = 'Failures:\n  ❌ ST101 Server error: 1\n\nTest cases:\n  423 generated, 1 found 2 unique failures, 4 skipped\n\nSeed: 33394402893\n=== 2 failures in 4.39s ===\n';
    await expect(readSummary(report)).toEqual({ testCases: 423, failures: 2, seed: '33394402893' });
    await expect(readSummary('Test cases:\n  776 generated, 5 found 1 unique failure\n')).toEqual({ testCases: 776, failures: 1, seed: undefined });
  });

  it('knows nothing of a run cut short before its summary', async () => {
    await expect(readSummary('Schemathesis v4.32.5\n ✅  Coverage (in 0.23s)\n')).toEqual({ testCases: undefined, failures: undefined, seed: undefined });
  });
});
