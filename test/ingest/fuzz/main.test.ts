import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../infra/errors';
import { describeFuzz, run } from '../../../ingest/src/fuzz/main';
import type { UploadApiFuzzOutcome } from '../../../ingest/src/fuzz/upload-api-fuzz';

const clean: UploadApiFuzzOutcome = {
  venvCached: true,
  schemathesis: { exitCode: 0, testCases: 953, failures: 0, seed: '42' },
  staging: { tenantFiles: ['client_a/in/a.csv', 'client_a/in/b.csv'], strays: [] },
  apiPid: 1234,
  apiStop: 'terminated',
  workDir: '/tmp/mysimbdp-fuzz-x',
  kept: false,
  elapsedMs: 23_340,
};

describe('describeFuzz', () => {
  it('passes a run without failures whose staging is clean', async () => {
    await expect(describeFuzz(clean)).toBe('fuzz: passed — 953 test cases (seed 42), no failures; staging: 2 files, all in client_a/, none left in an upload folder; api pid 1234 terminated; 23.3 s');
  });

  it('fails a run with failures, stray files or cut short at the time limit, naming the folder it kept', async () => {
    await expect(describeFuzz({ ...clean, schemathesis: { exitCode: 1, testCases: 423, failures: 2, seed: '7' }, kept: true })).toBe(
      'fuzz: FAILED — 2 failures in 423 test cases (seed 7), exit 1; staging: 2 files, all in client_a/, none left in an upload folder; api pid 1234 terminated; 23.3 s; kept /tmp/mysimbdp-fuzz-x',
    );
    const strays = ['client_a/in/.upload/1.part', 'client_b/in/x.csv', 'escape.csv', 'z.csv'];
    await expect(describeFuzz({ ...clean, staging: { tenantFiles: [], strays }, apiStop: 'killed', kept: true })).toBe(
      'fuzz: FAILED — 953 test cases (seed 42), no failures; staging: 4 stray files (client_a/in/.upload/1.part, client_b/in/x.csv, escape.csv, …); api pid 1234 killed; 23.3 s; kept /tmp/mysimbdp-fuzz-x',
    );
    await expect(describeFuzz({ ...clean, schemathesis: { exitCode: undefined, testCases: undefined, failures: undefined, seed: undefined } })).toBe(
      'fuzz: FAILED — schemathesis stopped at the time limit after ? test cases (seed ?); staging: 2 files, all in client_a/, none left in an upload folder; api pid 1234 terminated; 23.3 s',
    );
  });
});

describe('run', () => {
  it.each([
    [['--seed', 'x'], 'seed must be a non-negative integer, got "x"'],
    [['--max-examples', '0'], 'max-examples must be an integer >= 1, got "0"'],
    [['--timeout', 'soon'], 'timeout must be an integer >= 1, got "soon"'],
  ])('refuses %j before starting anything', async (argv, message) => {
    await expect(run(argv)).rejects.toThrow(new UsageError(message));
  });
});
