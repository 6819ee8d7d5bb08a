import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { manifestYaml } from '../../../infra/synth/manifest-yaml';
import { synthesize } from '../../../infra/synth/synthesize';
import { seedTenants, testSettings, withAgreement, JDBC_SINK } from '../fixtures';

// Kubernetes reads YAML 1.1 (yes/no/on/off are booleans there), the `yaml` package 1.2 by default:
// every emitted document must read back identically under both.
const roundTrips = (value: Record<string, unknown>): void => {
  const text = manifestYaml(value);
  expect(parse(text), text).toEqual(value);
  expect(parse(text, { version: '1.1' }), text).toEqual(value);
};

const TRICKY = [
  '', ' ', 'a ', ' a', 'a  b', 'true', 'False', 'yes', 'NO', 'on', 'Off', 'y', 'n', 'null', 'Null', '~', '1', '-1', '+1', '08', '0o17', '0x1F', '0b101',
  '1e3', '1.5', '.5', '5.', '.inf', '-.Inf', '.nan', '1_000', '1:30', '190:20:30', '1.2.3', '0.1.0', '500m', '10Gi', '*/5 * * * *', '0 * * * *',
  'a: b', 'a #b', '#x', '- x', '? x', ': x', '&a', '*a', '!t', '|', '>', '%x', '@x', '`x', '"q"', "'q'", '{a}', '[a]', 'a,b', 'key=value',
  'app.kubernetes.io/name', '/etc/mysimbdp/tokens/tokens.json', 'ghcr.io/mysimbdp/ingest:0.1.0', 'client_a.sink.x', '...', '---', '.hidden',
  'tab\there', 'line\nbreak', 'ends with newline\n', 'two newlines\n\n', '\nleading newline', ' indented\nblock', 'trailing space \nx', 'cr\r\nlf',
  'unicode é ✓', 'sep\u2028x', 'ctrl\u0001x', 'bom\ufeff', 'a\tb\n\tc\n', '{\n  "client": "client_a",\n  "x": [1, 2]\n}\n', 'a\n\nb', 'a\n \nb',
];

describe('manifestYaml', () => {
  it('reads back every tricky string as the same string, as value and as key', async () => {
    for (const s of TRICKY) roundTrips({ value: s, list: [s, { k: s }], [s === '' ? 'empty' : s]: 1 });
  });

  it('keeps numbers, booleans, null, empty and nested collections', async () => {
    roundTrips({ a: 0, b: -1.5, c: 12345678901, d: true, e: false, f: null, g: {}, h: [], i: [[1, [2]], [], {}, [{ x: [] }]], j: { k: { l: [{ m: 1, n: [true] }] } } });
  });

  it('writes Kubernetes style: lists at their key\'s indentation, multi-line text as literal blocks', async () => {
    expect(manifestYaml({ kind: 'ConfigMap', metadata: { name: 'x', labels: { 'mysimbdp.io/tenant': 'client_a' } }, data: { 'a.json': '{\n  "a": 1\n}\n' }, list: [{ name: 'c', args: ['api', '--port', '8080'] }] })).toBe(
      [
        'kind: ConfigMap',
        'metadata:',
        '  name: x',
        '  labels:',
        '    mysimbdp.io/tenant: client_a',
        'data:',
        '  a.json: |',
        '    {',
        '      "a": 1',
        '    }',
        'list:',
        '- name: c',
        '  args:',
        '  - api',
        '  - "--port"',
        '  - "8080"',
        '',
      ].join('\n'),
    );
  });

  it('round-trips every object the platform and tenant charts synthesize', async () => {
    const tenants = [withAgreement(seedTenants()[0]!, { connectors: [JDBC_SINK], encryption: true }), ...seedTenants().slice(1)];
    const manifests = synthesize(tenants, testSettings({ installKeda: 'true', installPrometheus: 'true' }));
    const objects = [...manifests.platform, ...[...manifests.tenants.values()].flat()];
    expect(objects.length).toBeGreaterThan(50);
    for (const o of objects) roundTrips(o as unknown as Record<string, unknown>);
  });

  it('refuses numbers YAML cannot hold', async () => {
    expect(() => manifestYaml({ a: Number.NaN })).toThrow('manifest YAML: cannot write the number NaN');
  });
});
