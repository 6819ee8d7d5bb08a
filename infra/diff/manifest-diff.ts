// Compares two synthesized manifest sets (base vs head) object by object, grouped by platform and
// tenant, and renders the result as markdown for a pull-request comment. Pure: no I/O.

/** The part of a Kubernetes object the diff needs to identify it; everything else is compared. */
export interface DiffableObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

/** Structurally the `Manifests` of infra/synth/synthesize.ts. */
export interface DiffableManifests {
  readonly platform: readonly DiffableObject[];
  readonly tenants: ReadonlyMap<string, readonly DiffableObject[]>;
}

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** One changed field: JSON path, and the value on each side (`undefined` = absent). */
export interface FieldChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface ObjectChange extends ObjectRef {
  readonly fields: readonly FieldChange[];
}

export interface GroupDiff {
  /** `platform` or the tenant's client id. */
  readonly group: string;
  /** The whole group is new (tenant added) or gone (tenant removed). */
  readonly status: 'added' | 'removed' | 'changed';
  readonly added: readonly ObjectRef[];
  readonly changed: readonly ObjectChange[];
  readonly removed: readonly ObjectRef[];
}

export interface ManifestDiff {
  /** Groups with at least one difference: platform first, then tenants by client id. */
  readonly groups: readonly GroupDiff[];
  /** Groups present on both sides without any difference. */
  readonly unchanged: readonly string[];
}

export const PLATFORM_GROUP = 'platform';

function refOf(obj: DiffableObject): ObjectRef {
  const { apiVersion, kind, metadata } = obj;
  return metadata.namespace === undefined
    ? { apiVersion, kind, name: metadata.name }
    : { apiVersion, kind, name: metadata.name, namespace: metadata.namespace };
}

function keyOf(obj: DiffableObject): string {
  return `${obj.apiVersion}|${obj.kind}|${obj.metadata.namespace ?? ''}|${obj.metadata.name}`;
}

function byKey(objs: readonly DiffableObject[]): Map<string, DiffableObject> {
  return new Map(objs.map((o) => [keyOf(o), o]));
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function childPath(path: string, key: string): string {
  if (IDENT.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Arrays of objects that each carry a distinct string `name` (containers, env, ports, volumes)
 * are matched by name, so inserting one entry reports one change instead of shifting every index. */
function namedEntries(arr: readonly unknown[]): Map<string, unknown> | undefined {
  const out = new Map<string, unknown>();
  for (const item of arr) {
    if (!isPlainObject(item) || typeof item.name !== 'string' || out.has(item.name)) return undefined;
    out.set(item.name, item);
  }
  return out;
}

function diffValues(path: string, before: unknown, after: unknown, out: FieldChange[]): void {
  if (before === after) return;
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const k of [...keys].sort()) diffValues(childPath(path, k), before[k], after[k], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const b = namedEntries(before);
    const a = namedEntries(after);
    if (b !== undefined && a !== undefined && before.length > 0 && after.length > 0) {
      for (const name of new Set([...b.keys(), ...a.keys()])) {
        diffValues(`${path}[name=${name}]`, b.get(name), a.get(name), out);
      }
      return;
    }
    for (let i = 0; i < Math.max(before.length, after.length); i++) diffValues(`${path}[${i}]`, before[i], after[i], out);
    return;
  }
  // Scalars, or a type change (object ↔ array ↔ scalar, present ↔ absent): one change at this path.
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ path, before, after });
}

/** Field-level differences of two versions of one object (JSON paths, sorted keys). */
export function diffObject(before: DiffableObject, after: DiffableObject): FieldChange[] {
  const out: FieldChange[] = [];
  diffValues('', before, after, out);
  return out;
}

function compareRefs(a: ObjectRef, b: ObjectRef): number {
  return `${a.kind}/${a.namespace ?? ''}/${a.name}`.localeCompare(`${b.kind}/${b.namespace ?? ''}/${b.name}`);
}

function diffGroup(group: string, base: readonly DiffableObject[] | undefined, head: readonly DiffableObject[] | undefined): GroupDiff {
  const b = byKey(base ?? []);
  const h = byKey(head ?? []);
  const added: ObjectRef[] = [];
  const removed: ObjectRef[] = [];
  const changed: ObjectChange[] = [];
  for (const [key, obj] of h) {
    const old = b.get(key);
    if (old === undefined) added.push(refOf(obj));
    else {
      const fields = diffObject(old, obj);
      if (fields.length > 0) changed.push({ ...refOf(obj), fields });
    }
  }
  for (const [key, obj] of b) if (!h.has(key)) removed.push(refOf(obj));
  const status = base === undefined ? 'added' : head === undefined ? 'removed' : 'changed';
  return { group, status, added: added.sort(compareRefs), changed: changed.sort(compareRefs), removed: removed.sort(compareRefs) };
}

/** Objects added, changed (with changed fields) and removed, per platform and per tenant. */
export function diffManifests(base: DiffableManifests, head: DiffableManifests): ManifestDiff {
  const groups: GroupDiff[] = [];
  const unchanged: string[] = [];
  const consider = (g: GroupDiff): void => {
    if (g.added.length + g.changed.length + g.removed.length === 0) unchanged.push(g.group);
    else groups.push(g);
  };
  consider(diffGroup(PLATFORM_GROUP, base.platform, head.platform));
  const clients = [...new Set([...base.tenants.keys(), ...head.tenants.keys()])].sort();
  for (const client of clients) consider(diffGroup(client, base.tenants.get(client), head.tenants.get(client)));
  return { groups, unchanged };
}

export interface RenderOptions {
  /** Heading line, e.g. naming the base ref. @default "mysimbdp manifest diff" */
  readonly title?: string;
  /** Longest rendered value before it is cut with `…`. @default 120 */
  readonly maxValueChars?: number;
  /** Stop listing once the text reaches this size (GitHub comments hold 65,536). @default 60000 */
  readonly maxChars?: number;
  /** Changed lines shown for a multi-line value (a tenant file in a ConfigMap). @default 20 */
  readonly maxTextLines?: number;
}

function renderValue(v: unknown, max: number): string {
  if (v === undefined) return '(absent)';
  const s = JSON.stringify(v);
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  // Inline code cannot hold a backtick; GitHub renders double-backtick spans for those.
  return cut.includes('`') ? `\`\` ${cut} \`\`` : `\`${cut}\``;
}

/** Line edits turning `a` into `b` (LCS over lines; `at` = 1-based line in `b`, or where a removal
 * falls). Beyond `maxCells` only the common leading and trailing lines are matched. */
function lineEdits(a: readonly string[], b: readonly string[], maxCells = 4_000_000): { sign: '-' | '+'; text: string; at: number }[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  const edits: { sign: '-' | '+'; text: string; at: number }[] = [];
  if (n * m > maxCells) {
    for (let i = start; i < endA; i++) edits.push({ sign: '-', text: a[i] as string, at: start + 1 });
    for (let j = start; j < endB; j++) edits.push({ sign: '+', text: b[j] as string, at: j + 1 });
    return edits;
  }
  // lcs[i][j] = LCS length of a[start+i..endA) and b[start+j..endB).
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = a[start + i] === b[start + j] ? (lcs[(i + 1) * (m + 1) + j + 1] as number) + 1 : Math.max(lcs[(i + 1) * (m + 1) + j] as number, lcs[i * (m + 1) + j + 1] as number);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[start + i] === b[start + j]) {
      i++;
      j++;
    } else if (i < n && (j === m || (lcs[(i + 1) * (m + 1) + j] as number) >= (lcs[i * (m + 1) + j + 1] as number))) {
      // Removals before additions, as in a unified diff.
      edits.push({ sign: '-', text: a[start + i] as string, at: start + j + 1 });
      i++;
    } else {
      edits.push({ sign: '+', text: b[start + j] as string, at: start + j + 1 });
      j++;
    }
  }
  return edits;
}

/** A multi-line value (a tenant file in a ConfigMap) as a `diff` block of its changed lines, where a
 * cut JSON string would hide the change. */
function renderTextChange(path: string, before: string, after: string, maxLines: number): string[] {
  const edits = lineEdits(before.split('\n'), after.split('\n'));
  const body: string[] = [];
  let previous: number | undefined;
  for (const e of edits.slice(0, maxLines)) {
    // A hunk header wherever the edits are not contiguous in the new text.
    if (previous === undefined || e.at > previous + 1) body.push(`@@ line ${e.at} @@`);
    body.push(`${e.sign}${e.text}`);
    previous = e.sign === '+' ? e.at : e.at - 1;
  }
  if (edits.length > maxLines) body.push(`… ${edits.length - maxLines} more changed lines`);
  const fence = '`'.repeat(Math.max(3, ...body.map((l) => (l.match(/`+/g) ?? []).reduce((max, run) => Math.max(max, run.length + 1), 0))));
  return [`  - \`${path}\`: text changed`, `    ${fence}diff`, ...body.map((l) => `    ${l}`), `    ${fence}`];
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.includes('\n');

function renderRef(r: ObjectRef): string {
  return `\`${r.kind}\` \`${r.namespace === undefined ? '' : `${r.namespace}/`}${r.name}\``;
}

const GROUP_NOTE: Record<GroupDiff['status'], string> = { added: ' (new)', removed: ' (removed)', changed: '' };

/** Markdown for a pull-request comment: a summary table, then per group the objects and fields. */
export function renderDiffMarkdown(diff: ManifestDiff, options: RenderOptions = {}): string {
  const title = options.title ?? 'mysimbdp manifest diff';
  const maxValue = options.maxValueChars ?? 120;
  const maxChars = options.maxChars ?? 60_000;
  const maxTextLines = options.maxTextLines ?? 20;
  const head: string[] = [`### ${title}`, ''];
  if (diff.groups.length === 0) {
    head.push(`No changes (${diff.unchanged.length} unchanged: ${diff.unchanged.join(', ')}).`);
    return `${head.join('\n')}\n`;
  }
  head.push('| | added | changed | removed |', '| --- | ---: | ---: | ---: |');
  for (const g of diff.groups) head.push(`| ${g.group}${GROUP_NOTE[g.status]} | ${g.added.length} | ${g.changed.length} | ${g.removed.length} |`);
  if (diff.unchanged.length > 0) head.push('', `Unchanged: ${diff.unchanged.join(', ')}.`);

  const body: string[] = [];
  for (const g of diff.groups) {
    body.push('', `#### ${g.group}${GROUP_NOTE[g.status]}`);
    if (g.added.length > 0) body.push('', '**added**', ...g.added.map((r) => `- ${renderRef(r)}`));
    if (g.changed.length > 0) {
      body.push('', '**changed**');
      for (const c of g.changed) {
        body.push(`- ${renderRef(c)}`);
        for (const f of c.fields) {
          if (isText(f.before) && isText(f.after)) body.push(...renderTextChange(f.path, f.before, f.after, maxTextLines));
          else body.push(`  - \`${f.path}\`: ${renderValue(f.before, maxValue)} → ${renderValue(f.after, maxValue)}`);
        }
      }
    }
    if (g.removed.length > 0) body.push('', '**removed**', ...g.removed.map((r) => `- ${renderRef(r)}`));
  }

  let text = head.join('\n');
  for (let i = 0; i < body.length; i++) {
    if (text.length + body[i]!.length + 1 > maxChars) {
      text += `\n\n…cut: ${body.length - i} more lines (run \`mysimbdp diff\` locally for the full list).`;
      break;
    }
    text += `\n${body[i]}`;
  }
  return `${text}\n`;
}
