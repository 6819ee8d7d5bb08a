import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A throwaway git repository for tests of base-vs-head commands. */
export function gitRepo(): { dir: string; git: (...args: string[]) => string; write: (rel: string, text: string) => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mysimbdp-git-'));
  const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: dir }).toString();
  git('init', '-q', '-b', 'main');
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  return { dir, git, write };
}
