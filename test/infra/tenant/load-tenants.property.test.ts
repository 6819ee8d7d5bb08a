import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIssue, loadTenants, TenantValidationError } from '../../../infra/tenant/load-tenants';
import { seed, writeTenants, type TenantFiles } from '../../helpers/tenant-files';

// Hostile tenant files: whatever agreement.json and dataset.json hold, loadTenants returns the
// tenant or issues, never throws; each issue names its file, a JSON path into that file, a rule and
// a message; and loadTenantsOrThrow can format every one of them.

const FOLDER = 'client_a';
type Json = Record<string, unknown>;

/** Stands for arrays nested that deep: written into the file's text, since JSON.stringify would overflow. */
const DEEP = '@@deep@@';
const deepText = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const toText = (json: unknown): string => (JSON.stringify(json, null, 1) ?? 'null').replace(new RegExp(`"${DEEP}(\\d+)"`, 'g'), (_, d: string) => deepText(Number(d)));

/** `a.b[0]["x y"]` (the loader's joinPath form) → segments. */
function segments(p: string): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  const token = /^(?:\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/;
  for (let rest = p; rest !== ''; ) {
    const m = token.exec(rest);
    if (m === null) return undefined;
    out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3] as string) as string)));
    rest = rest.slice(m[0].length);
  }
  return out;
}

/** Issues point into their file: every segment but the last names a node that is there. */
async function expectPointsIntoFile(issue: { file: string; path: string }, docs: ReadonlyMap<string, unknown>): Promise<void> {
  const parts = segments(issue.path);
  await expect(parts, `path ${JSON.stringify(issue.path)}`).toBeDefined();
  if (parts === undefined || parts.length === 0 || !docs.has(issue.file)) return;
  let node: unknown = docs.get(issue.file);
  for (const part of parts.slice(0, -1)) {
    await expect(typeof node === 'object' && node !== null && Object.hasOwn(node, part), `${issue.file}: ${issue.path}`).toBe(true);
    node = (node as Record<string | number, unknown>)[part];
  }
}

/** What a tenant folder holds: text for agreement.json and dataset.json (or nothing), maybe a stray file. */
interface Folder {
  readonly agreement?: string;
  readonly dataset?: string;
  readonly extra?: readonly [string, string];
}

/** Whether the folder loaded as a tenant. */
async function expectIssuesOrTenant(folder: Folder): Promise<boolean> {
  const raw: Record<string, string> = {};
  if (folder.agreement !== undefined) raw['agreement.json'] = folder.agreement;
  if (folder.dataset !== undefined) raw['dataset.json'] = folder.dataset;
  if (folder.extra !== undefined) raw[folder.extra[0]] = folder.extra[1];
  const dir = writeTenants({ [FOLDER]: { raw } satisfies TenantFiles });
  try {
    const docs = new Map<string, unknown>();
    for (const [rel, text] of Object.entries(raw)) {
      try {
        docs.set(path.join(dir, FOLDER, rel), JSON.parse(text.replace(/^\ufeff/, '')));
      } catch {
        // not JSON: its issues name the whole file
      }
    }
    const { tenants, issues } = loadTenants(dir);
    await expect(tenants.length + (issues.length > 0 ? 1 : 0)).toBe(1);
    if (tenants.length === 1) await expect(tenants[0]?.client).toBe(FOLDER);
    for (const issue of issues) {
      await expect(path.relative(path.join(dir, FOLDER), issue.file).startsWith('..')).toBe(false);
      await expect(issue.rule).toMatch(/^[a-z][\w-]*$/i);
      await expect(issue.message).toMatch(/\S/);
      await expectPointsIntoFile(issue, docs);
    }
    // what loadTenantsOrThrow throws, and validate prints, quotes every issue
    await expect(new TenantValidationError(issues).message).toMatch(new RegExp(`^${issues.length} tenant validation errors?:`));
    await expect(issues.map(formatIssue).every((line) => line.startsWith(`${dir}${path.sep}${FOLDER}`))).toBe(true);
    await expect(typeof JSON.stringify(issues)).toBe('string');
    return tenants.length === 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Names that trip up JavaScript objects and eyes: prototype keys, bidi and zero-width marks, NUL, lone surrogates, fullwidth letters. */
const STRANGE = ['', ' ', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'client_a\u0000', '\u202eclient_a', 'client\u200ba', 'ｃｌｉｅｎｔ_ａ', 'Client_A', 'ü', '😀', '\ud800', 'a'.repeat(5000), '../client_b', 'client_a\n'] as const;
const strange = fc.oneof({ arbitrary: fc.constantFrom(...STRANGE), weight: 3 }, fc.string({ unit: 'binary', maxLength: 12 }));
const HUGE = [1e308, -1e308, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 5e-324, -0, 0.5, -1, 1e21, 2 ** 31] as const;

/** What a mutation puts at a path. */
const replacement: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(...HUGE),
  strange,
  fc.integer({ min: 1, max: 50_000 }).map((d) => `${DEEP}${d}`),
);

type Mutation = { readonly kind: 'delete' | 'replace' | 'rename' | 'add'; readonly at: number; readonly key: string; readonly value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.record({ kind: fc.oneof({ arbitrary: fc.constant('rename' as const), weight: 3 }, fc.constantFrom('delete', 'replace', 'add')), at: fc.nat(), key: strange, value: replacement });

/** Every path of a JSON document, root first. */
function paths(doc: unknown, at: (string | number)[] = []): (string | number)[][] {
  const children = typeof doc === 'object' && doc !== null ? Object.entries(doc).map(([k, v]) => paths(v, [...at, Array.isArray(doc) ? Number(k) : k])) : [];
  return [at, ...children.flat()];
}

/** Where names live: the client id, dataset, field, connector and plugin names, types. */
const NAMED = new Set(['client', 'name', 'type', 'logicalType', 'key_space', 'field', 'dataset', 'direction', 'class', 'time_zone', 'schedule']);

type Node = Record<string | number, unknown>;
const nodeAt = (doc: unknown, at: readonly (string | number)[]): unknown => at.reduce<unknown>((node, k) => (node as Node)[k], doc);

function mutate(doc: Json, m: Mutation): Json {
  // fast-check hands the same values to later runs while shrinking: insert a copy
  const value = structuredClone(m.value);
  const all = paths(doc);
  // a rename picks the kind of name first, so that the rare ones (logicalType) come up as often as field names
  const kinds = [...new Set(all.map((p) => String(p.at(-1))).filter((k) => NAMED.has(k)))];
  const named = kinds[m.at % kinds.length];
  const pool = m.kind === 'rename' && named !== undefined ? all.filter((p) => String(p.at(-1)) === named) : all;
  const target = pool[Math.floor(m.at / Math.max(kinds.length, 1)) % pool.length] as (string | number)[];
  if (m.kind === 'add') {
    const node = nodeAt(doc, target);
    if (Array.isArray(node)) node.push(value);
    else if (typeof node === 'object' && node !== null) Object.defineProperty(node, m.key, { value, enumerable: true, writable: true, configurable: true });
    return doc;
  }
  if (target.length === 0) return m.kind === 'replace' ? (value as Json) : doc;
  const parent = nodeAt(doc, target.slice(0, -1)) as Node;
  const last = target.at(-1) as string | number;
  if (m.kind !== 'delete') parent[last] = m.kind === 'rename' ? m.key : value;
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
  return doc;
}

/** The seed agreement; `full` adds the sections it leaves out, so that mutations reach their checks too. */
function agreementDoc(full: boolean): Json {
  const extra = {
    time_zone: 'Europe/Helsinki',
    kafka: { partitions: 3 },
    stream: { min_replicas: 1, max_replicas: 2 },
    connectors: [{ name: 'es', direction: 'sink', class: 'io.x.Sink', dataset: 'speed-tracking-data', plugins: [{ name: 'p', artifacts: [{ type: 'maven', group: 'g', artifact: 'a', version: '1' }, { type: 'jar', url: 'https://x/y.jar' }] }] }],
  };
  return { ...seed.agreementA(), ...(full ? extra : {}) };
}

/** A seed dataset with a logical type, a container, quality rules, a schedule and resources. */
function datasetDoc(which: 'a' | 'b'): Json {
  const json = which === 'a' ? seed.datasetA() : { ...seed.datasetB(), name: 'speed-tracking-data' };
  (json.schema as { fields: unknown[] }).fields.push({ name: 'day', type: { type: 'int', logicalType: 'date' } }, { name: 'tags', type: ['null', { type: 'array', items: 'string' }], default: null });
  const rules = which === 'a'
    ? [{ field: 'SPEEDIN', min: 0, max: 100 }, { name: 'r2', field: 'PROVINCECODE', pattern: '^[A-Z]+$' }, { field: 'day', max_age_days: 30 }]
    : [{ field: 'star_rating', min: 1, max: 5 }, { name: 'r2', field: 'marketplace', allowed: ['US', 'DE'] }, { field: 'review_date', max_age_days: 30 }];
  return { ...json, quality_rules: rules, schedule: '@hourly', resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } } };
}

const documents = fc.record({ agreement: fc.boolean().map(agreementDoc), dataset: fc.constantFrom('a' as const, 'b' as const).map(datasetDoc) });

describe('loadTenants on hostile tenant files', () => {
  it('returns the tenant or issues naming file, path, rule and message, for mutations of the seed files', async () => {
    let valid = 0;
    await fc.assert(
      fc.asyncProperty(documents, fc.array(mutation, { maxLength: 3 }), fc.array(mutation, { maxLength: 3 }), async (docs, onAgreement, onDataset) => {
        const agreement = onAgreement.reduce(mutate, structuredClone(docs.agreement));
        const dataset = onDataset.reduce(mutate, structuredClone(docs.dataset));
        if (await expectIssuesOrTenant({ agreement: toText(agreement), dataset: toText(dataset) })) valid++;
      }),
      { numRuns: 400, seed: 20261219 },
    );
    // the generator reaches both sides
    await expect(valid).toBeGreaterThan(10);
  }, 120_000);

  it('returns issues, never throws, for any JSON, text or nesting in either file', async () => {
    const content = fc.option(
      fc.oneof(
        fc.jsonValue({ maxDepth: 4 }).map(toText),
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.integer({ min: 1, max: 100_000 }).map(deepText),
        fc.jsonValue({ maxDepth: 2 }).map((v) => `\ufeff${toText(v)}`),
      ),
      { nil: undefined },
    );
    const extra = fc.option(fc.tuple(fc.constantFrom('datasets/x.json', 'datasets/__proto__.json', 'datasets/ü 😀.json', 'datasets/notes.txt', 'README.md', 'agreement.yaml'), fc.jsonValue({ maxDepth: 2 }).map(toText)), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(content, content, extra, async (agreement, dataset, stray) => {
        await expectIssuesOrTenant({ agreement, dataset, extra: stray });
      }),
      { numRuns: 250, seed: 20261220 },
    );
  }, 120_000);

  describe('shrunk counterexamples', () => {
    const issuesOf = (agreement: Json, dataset: Json): string[] => {
      const dir = writeTenants({ [FOLDER]: { raw: { 'agreement.json': toText(agreement), 'dataset.json': toText(dataset) } } });
      try {
        return loadTenants(dir).issues.map((i) => formatIssue({ ...i, file: path.relative(dir, i.file) }));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };
    const m = (kind: Mutation['kind'], at: number, key: string, value: unknown): Mutation => ({ kind, at, key, value });

    it('a logicalType naming an Object.prototype member is an issue, not a TypeError', async () => {
      await expect(issuesOf(agreementDoc(false), mutate(datasetDoc('a'), m('rename', 1104880587, 'constructor', [])))).toEqual([
        'client_a/dataset.json: schema.fields[11].type.logicalType: must be one of date, timestamp-millis, timestamp-micros, decimal, uuid (rule avro-logical-type, value "constructor")',
        'client_a/dataset.json: quality_rules[2].field: names no field of the Avro schema (rule quality-rule-field, value "day")',
      ]);
    });

    it('connectors that are not a list are an issue, not a TypeError', async () => {
      await expect(issuesOf(mutate(agreementDoc(true), m('replace', 1368941328, '', 1e308)), datasetDoc('a'))).toEqual(['client_a/agreement.json: connectors: must be array (rule type, value 1e+308)']);
    });

    it('a file nested too deep to quote its values is one issue, not a RangeError when issues are formatted', async () => {
      const agreement = mutate(agreementDoc(false), m('add', 0, '', `${DEEP}4112`));
      await expect(issuesOf(agreement, datasetDoc('a'))).toEqual(['client_a/agreement.json: (file): nests arrays and objects deeper than 64 levels (rule json-depth)']);
    });
  });
});
