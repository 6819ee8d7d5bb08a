import * as path from 'node:path';
import type { Dataset } from '../../../infra/tenant/types';

/**
 * Where one dataset's files live under the staging root. A file moves
 * in/ → in/.processing/ → archive/ (or failed/ with `<name>.reason.json`) only after Kafka
 * acknowledged its rows; uploads are written to in/.upload/ and renamed into in/ atomically
 * (same filesystem). Datasets from `datasets/<name>.json` use a `<name>` sub-folder of each.
 */
export interface StagingLayout {
  /** `{SOURCE_PATH}/{CLIENT_ID}` */
  readonly root: string;
  readonly inbox: string;
  readonly processing: string;
  readonly upload: string;
  readonly archive: string;
  readonly failed: string;
  /** Wrangled output files. */
  readonly out: string;
  /** Rejected rows, one `<file>.rejected.jsonl` per input file, each line with its reason. */
  readonly quarantine: string;
}

export function stagingLayout(sourcePath: string, client: string, dataset: Pick<Dataset, 'stagingSubdir'>): StagingLayout {
  const root = path.join(sourcePath, client);
  const sub = (dir: string): string => (dataset.stagingSubdir === undefined ? path.join(root, dir) : path.join(root, dir, dataset.stagingSubdir));
  const inbox = sub('in');
  return {
    root,
    inbox,
    processing: path.join(inbox, '.processing'),
    upload: path.join(inbox, '.upload'),
    archive: sub('archive'),
    failed: sub('failed'),
    out: sub('out'),
    quarantine: sub('quarantine'),
  };
}
