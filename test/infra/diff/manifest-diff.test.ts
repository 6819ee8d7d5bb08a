import { describe, expect, it } from 'vitest';
import {
  diffManifests,
  diffObject,
  renderDiffMarkdown,
  type DiffableManifests,
  type DiffableObject,
} from '../../../infra/diff/manifest-diff';

function cronJob(name: string, schedule: string, extra: Record<string, unknown> = {}): DiffableObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'mysimbdp-client-a', labels: { 'mysimbdp.io/tenant': 'client_a' } },
    spec: { schedule, ...extra },
  } as DiffableObject;
}

function manifests(platform: DiffableObject[], tenants: Record<string, DiffableObject[]>): DiffableManifests {
  return { platform, tenants: new Map(Object.entries(tenants)) };
}

const ns: DiffableObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'mysimbdp-platform' } };

describe('diffObject', () => {
  it('reports changed, added and removed scalar fields with JSON paths', async () => {
    const before = { ...cronJob('x', '0 * * * *'), metadata: { name: 'x', labels: { 'mysimbdp.io/tenant': 'a', old: '1' } } };
    const after = { ...cronJob('x', '*/5 * * * *'), metadata: { name: 'x', labels: { 'mysimbdp.io/tenant': 'a', fresh: '2' } } };
    expect(diffObject(before, after)).toEqual([
      { path: 'metadata.labels.fresh', before: undefined, after: '2' },
      { path: 'metadata.labels.old', before: '1', after: undefined },
      { path: 'spec.schedule', before: '0 * * * *', after: '*/5 * * * *' },
    ]);
  });

  it('quotes keys that are not identifiers', async () => {
    const before = { ...ns, metadata: { name: 'n', labels: { 'mysimbdp.io/tenant': 'client_a' } } };
    const after = { ...ns, metadata: { name: 'n', labels: { 'mysimbdp.io/tenant': 'client_b' } } };
    expect(diffObject(before, after)).toEqual([{ path: 'metadata.labels["mysimbdp.io/tenant"]', before: 'client_a', after: 'client_b' }]);
  });

  it('matches arrays of named entries by name and other arrays by index', async () => {
    const container = (env: { name: string; value: string }[]) => ({ name: 'sink', image: 'i:1', env });
    const before = cronJob('x', 's', { containers: [container([{ name: 'A', value: '1' }, { name: 'B', value: '2' }])], args: ['a', 'b'] });
    const after = cronJob('x', 's', {
      containers: [container([{ name: 'Z', value: '0' }, { name: 'A', value: '1' }, { name: 'B', value: '3' }])],
      args: ['a', 'c', 'd'],
    });
    expect(diffObject(before, after)).toEqual([
      { path: 'spec.args[1]', before: 'b', after: 'c' },
      { path: 'spec.args[2]', before: undefined, after: 'd' },
      { path: 'spec.containers[name=sink].env[name=B].value', before: '2', after: '3' },
      { path: 'spec.containers[name=sink].env[name=Z]', before: undefined, after: { name: 'Z', value: '0' } },
    ]);
  });

  it('reports a type change as one change at that path', async () => {
    expect(diffObject(cronJob('x', 's', { v: { a: 1 } }), cronJob('x', 's', { v: [1] }))).toEqual([
      { path: 'spec.v', before: { a: 1 }, after: [1] },
    ]);
  });

  it('finds nothing in equal objects', async () => {
    expect(diffObject(cronJob('x', 's', { a: [1, { b: 2 }] }), cronJob('x', 's', { a: [1, { b: 2 }] }))).toEqual([]);
  });
});

describe('diffManifests', () => {
  it('groups added, changed and removed objects per tenant and lists unchanged groups', async () => {
    const base = manifests([ns], {
      client_a: [cronJob('a-batch', '0 * * * *'), cronJob('a-old', '1 * * * *')],
      client_b: [cronJob('b-batch', '0 * * * *')],
      client_c: [cronJob('c-batch', '0 * * * *')],
    });
    const head = manifests([ns], {
      client_a: [cronJob('a-batch', '*/5 * * * *'), cronJob('a-new', '2 * * * *')],
      client_b: [cronJob('b-batch', '0 * * * *')],
      client_d: [cronJob('d-batch', '0 * * * *')],
    });
    const diff = diffManifests(base, head);
    expect(diff.unchanged).toEqual(['platform', 'client_b']);
    expect(diff.groups).toEqual([
      {
        group: 'client_a',
        status: 'changed',
        added: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'a-new', namespace: 'mysimbdp-client-a' }],
        changed: [
          {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            name: 'a-batch',
            namespace: 'mysimbdp-client-a',
            fields: [{ path: 'spec.schedule', before: '0 * * * *', after: '*/5 * * * *' }],
          },
        ],
        removed: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'a-old', namespace: 'mysimbdp-client-a' }],
      },
      { group: 'client_c', status: 'removed', added: [], changed: [], removed: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'c-batch', namespace: 'mysimbdp-client-a' }] },
      { group: 'client_d', status: 'added', added: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'd-batch', namespace: 'mysimbdp-client-a' }], changed: [], removed: [] },
    ]);
  });

  it('treats a changed apiVersion as remove + add (a different object to Kubernetes)', async () => {
    const v1 = { ...ns, apiVersion: 'v1' };
    const v2 = { ...ns, apiVersion: 'v2' };
    const diff = diffManifests(manifests([v1], {}), manifests([v2], {}));
    expect(diff.groups[0]).toMatchObject({ group: 'platform', added: [{ apiVersion: 'v2' }], removed: [{ apiVersion: 'v1' }], changed: [] });
  });
});

describe('renderDiffMarkdown', () => {
  it('renders the summary table and the changed fields', async () => {
    const base = manifests([ns], { client_a: [cronJob('a-batch', '0 * * * *'), cronJob('a-old', '1 * * * *')], client_b: [] });
    const head = manifests([ns], { client_a: [cronJob('a-batch', '*/5 * * * *'), cronJob('a-new', '2 * * * *')], client_b: [], client_d: [cronJob('d-batch', '0 0 * * *')] });
    expect(renderDiffMarkdown(diffManifests(base, head), { title: 'diff vs `main`' })).toBe(
      [
        '### diff vs `main`',
        '',
        '| | added | changed | removed |',
        '| --- | ---: | ---: | ---: |',
        '| client_a | 1 | 1 | 1 |',
        '| client_d (new) | 1 | 0 | 0 |',
        '',
        'Unchanged: platform, client_b.',
        '',
        '#### client_a',
        '',
        '**added**',
        '- `CronJob` `mysimbdp-client-a/a-new`',
        '',
        '**changed**',
        '- `CronJob` `mysimbdp-client-a/a-batch`',
        '  - `spec.schedule`: `"0 * * * *"` → `"*/5 * * * *"`',
        '',
        '**removed**',
        '- `CronJob` `mysimbdp-client-a/a-old`',
        '',
        '#### client_d (new)',
        '',
        '**added**',
        '- `CronJob` `mysimbdp-client-a/d-batch`',
        '',
      ].join('\n'),
    );
  });

  it('says so when nothing changed', async () => {
    const m = manifests([ns], { client_a: [cronJob('a', 's')] });
    expect(renderDiffMarkdown(diffManifests(m, m))).toBe('### mysimbdp manifest diff\n\nNo changes (2 unchanged: platform, client_a).\n');
  });

  it('cuts long values and marks absent ones', async () => {
    const before = manifests([], { t: [cronJob('a', 'x'.repeat(10))] });
    const after = manifests([], { t: [cronJob('a', 'y'.repeat(10), { cmd: 'run' })] });
    const text = renderDiffMarkdown(diffManifests(before, after), { maxValueChars: 5 });
    expect(text).toContain('  - `spec.cmd`: (absent) → `"run"`');
    expect(text).toContain('  - `spec.schedule`: `"xxxx…` → `"yyyy…`');
  });

  it('wraps values holding a backtick in a double-backtick span', async () => {
    const text = renderDiffMarkdown(diffManifests(manifests([], { t: [cronJob('a', 's')] }), manifests([], { t: [cronJob('a', 'echo `id`')] })));
    expect(text).toContain('  - `spec.schedule`: `"s"` → `` "echo `id`" ``');
  });

  it('shows a changed multi-line value as a line diff with a hunk per changed region', async () => {
    const file = (schedule: string, memory: string) => `{\n  "client": "client_a",\n  "schedule": "${schedule}",\n  "x": 1,\n  "y": 2,\n  "memory": "${memory}"\n}\n`;
    const cm = (text: string): DiffableObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'agreement.json': text } }) as DiffableObject;
    const text = renderDiffMarkdown(diffManifests(manifests([], { t: [cm(file('0 * * * *', '1Gi'))] }), manifests([], { t: [cm(file('*/5 * * * *', '2Gi'))] })));
    expect(text).toContain(
      [
        '- `ConfigMap` `c`',
        '  - `data["agreement.json"]`: text changed',
        '    ```diff',
        '    @@ line 3 @@',
        '    -  "schedule": "0 * * * *",',
        '    +  "schedule": "*/5 * * * *",',
        '    @@ line 6 @@',
        '    -  "memory": "1Gi"',
        '    +  "memory": "2Gi"',
        '    ```',
      ].join('\n'),
    );
  });

  it('cuts long line diffs and fences text that holds backticks', async () => {
    const cm = (text: string): DiffableObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { f: text } }) as DiffableObject;
    const after = `a\n${Array.from({ length: 5 }, (_, i) => `line ${i}`).join('\n')}\n`;
    const text = renderDiffMarkdown(diffManifests(manifests([], { t: [cm('a\n```\n')] }), manifests([], { t: [cm(after)] })), { maxTextLines: 3 });
    expect(text).toContain(['    ````diff', '    @@ line 2 @@', '    -```', '    +line 0', '    +line 1', '    … 3 more changed lines', '    ````'].join('\n'));
  });

  it('stops listing at maxChars and says how much was cut', async () => {
    const many = Array.from({ length: 50 }, (_, i) => cronJob(`job-${i}`, 's'));
    const text = renderDiffMarkdown(diffManifests(manifests([], {}), manifests([], { t: many })), { maxChars: 400 });
    expect(text.length).toBeLessThan(500);
    expect(text).toMatch(/…cut: \d+ more lines \(run `mysimbdp diff` locally for the full list\)\.\n$/);
  });
});
