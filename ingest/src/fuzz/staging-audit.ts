import * as fs from 'node:fs';
import * as path from 'node:path';

export interface StagingAudit {
  /** Files (anything not a folder) under `<root>/<client>/`, relative to the root, sorted. */
  readonly tenantFiles: readonly string[];
  /**
   * Files that should not be there: outside `<root>/<client>/`, or inside an upload folder
   * (`in/.upload/`), which an upload leaves empty once it ended, stored or refused.
   */
  readonly strays: readonly string[];
}

/** Walks the staging tree after uploads authenticated as `client` (symbolic links count as files, never followed). */
export function auditStaging(root: string, client: string): StagingAudit {
  const files = walk(root, '').sort();
  const inTenant = (rel: string): boolean => rel.split(path.sep)[0] === client;
  const inUpload = (rel: string): boolean => rel.split(path.sep).includes('.upload');
  return {
    tenantFiles: files.filter(inTenant),
    strays: files.filter((rel) => !inTenant(rel) || inUpload(rel)),
  };
}

/** Every entry that is not a folder, relative; by hand, as readdir's `recursive` follows links to folders. */
function walk(root: string, rel: string): string[] {
  return fs.readdirSync(path.join(root, rel), { withFileTypes: true }).flatMap((entry) => {
    const child = path.join(rel, entry.name);
    return entry.isDirectory() ? walk(root, child) : [child];
  });
}
