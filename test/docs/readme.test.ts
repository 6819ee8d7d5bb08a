import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

// The README is for people arriving; the rest lives in docs/. These checks keep both honest:
// a README of one screenful or so, links that lead somewhere inside the repository, and no
// dated lab notes.
const ROOT = path.join(__dirname, '..', '..');
const MAX_README_LINES = 420;
const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

interface Line {
  readonly number: number;
  readonly text: string;
  /** Inside a fenced code block (the fences included). */
  readonly code: boolean;
}

function lines(file: string): Line[] {
  let fence: string | undefined;
  return fs
    .readFileSync(path.join(ROOT, file), 'utf8')
    .split('\n')
    .map((text, i) => {
      const marker = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
      if (fence === undefined && marker !== undefined) {
        fence = marker;
        return { number: i + 1, text, code: true };
      }
      if (fence !== undefined && marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && text.trim() === marker) {
        fence = undefined;
        return { number: i + 1, text, code: true };
      }
      return { number: i + 1, text, code: fence !== undefined };
    });
}

/** Prose of a line: inline code spans removed. */
const prose = (text: string): string => text.replace(/(`+)[^`]*?\1/g, '');

/** GitHub's heading anchors: lowercase, punctuation other than '-' and '_' dropped, spaces → '-', repeats numbered. */
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of lines(file)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line.text);
    if (line.code || heading === null) continue;
    const slug = heading[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

function links(file: string): { line: number; target: string }[] {
  return lines(file)
    .filter((l) => !l.code)
    .flatMap((l) => [...prose(l.text).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => ({ line: l.number, target: m[1] })));
}

describe('README.md', () => {
  it(`has at most ${MAX_README_LINES} lines`, async () => {
    const count = lines('README.md').length;
    expect(count, `README.md has ${count} lines`).toBeLessThanOrEqual(MAX_README_LINES);
  });

  it('links every page of docs/', async () => {
    const targets = new Set(links('README.md').map((l) => l.target.split('#')[0]));
    const missing = DOCS.filter((f) => f.startsWith('docs/') && !targets.has(f));
    expect(missing).toEqual([]);
  });
});

describe.each(DOCS)('%s', (file) => {
  it('links only to files and headings that exist inside the repository', async () => {
    const broken: string[] = [];
    for (const { line, target } of links(file)) {
      const where = `${file}:${line}: ${target}`;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
        broken.push(`${where}: not a relative link`);
        continue;
      }
      const [pathPart, anchor] = target.split('#', 2);
      const resolved = pathPart === '' ? path.join(ROOT, file) : path.resolve(path.dirname(path.join(ROOT, file)), decodeURIComponent(pathPart));
      if (path.relative(ROOT, resolved).startsWith('..')) broken.push(`${where}: outside the repository`);
      else if (!fs.existsSync(resolved)) broken.push(`${where}: no such file`);
      else if (anchor !== undefined && resolved.endsWith('.md') && !anchors(path.relative(ROOT, resolved)).has(anchor)) broken.push(`${where}: no such heading`);
    }
    expect(broken).toEqual([]);
  });

  it('has no web addresses, except loopback examples in code blocks', async () => {
    const found = lines(file)
      .filter((l) => [...l.text.matchAll(/https?:\/\/[^\s`"')\]]*/g)].some((m) => !l.code || !/^https?:\/\/(127\.0\.0\.1|localhost)([:/]|$)/.test(m[0])))
      .map((l) => `${file}:${l.number}: ${l.text.trim()}`);
    expect(found).toEqual([]);
  });

  it('has no dates in its prose (no dated lab notes)', async () => {
    const found = lines(file)
      .filter((l) => !l.code && /\b(19|20)\d\d-\d\d\b/.test(prose(l.text)))
      .map((l) => `${file}:${l.number}: ${l.text.trim()}`);
    expect(found).toEqual([]);
  });
});
