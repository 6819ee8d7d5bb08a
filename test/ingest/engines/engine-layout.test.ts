import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, engineLayout } from '../../../ingest/src/engines/engine-layout';

describe('engineLayout', () => {
  it('lives under <repo>/.cache/engines by default, with the poms in ingest/engines', () => {
    const layout = engineLayout(undefined, {});
    expect(layout.cacheDir).toBe(path.join(REPO_ROOT, '.cache', 'engines'));
    expect(layout.pomDir).toBe(path.join(REPO_ROOT, 'ingest', 'engines'));
    expect(layout.logDir).toBe(path.join(REPO_ROOT, '.cache', 'engines', 'logs'));
  });

  it('takes the folder from the argument, then ENGINES_CACHE_DIR', () => {
    expect(engineLayout('/tmp/a', { ENGINES_CACHE_DIR: '/tmp/b' }).runDir).toBe('/tmp/a/run');
    expect(engineLayout(undefined, { ENGINES_CACHE_DIR: '/tmp/b' }).dataDir).toBe('/tmp/b/data');
  });
});
