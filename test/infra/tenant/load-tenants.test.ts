import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDataset, findTenant, formatIssue, loadTenants, loadTenantsOrThrow, TenantValidationError } from '../../../infra/tenant/load-tenants';
import { clientA, seed, writeTenants } from '../../helpers/tenant-files';

const REPO = path.join(__dirname, '..', '..', '..');
const messages = (dir: string): string[] => loadTenants(dir).issues.map((i) => formatIssue({ ...i, file: path.relative(dir, i.file) }));

describe('loadTenants on the repository tenants', () => {
  const { tenants, issues } = loadTenants(path.join(REPO, 'tenants'));

  it('loads client_a and client_b without issues', async () => {
    await expect(Promise.resolve(issues)).resolves.toEqual([]);
    await expect(Promise.resolve(tenants.map((t) => [t.client, t.dnsName]))).resolves.toEqual([['client_a', 'client-a'], ['client_b', 'client-b']]);
  });

  it('types client_a as the seed describes it', async () => {
    const a = findTenant(tenants, 'client_a');
    const d = findDataset(a);
    await expect(Promise.resolve({
      retentionDays: a.agreement.retentionDays, retentionMs: a.agreement.retentionMs, schedule: d.schedule.expression, timeZone: d.schedule.timeZone,
      resources: JSON.parse(JSON.stringify(d.resources)), limitMillicores: d.resources.limits.cpu.millicores, limitBytes: d.resources.limits.memory.bytes, partitionKey: d.partitionKey, clusteringKey: d.clusteringKey, keyspace: d.keyspace, table: d.table,
      topics: d.topics, header: d.csv.header, delimiter: d.csv.delimiter, maxFileSizeBytes: d.maxFileSizeBytes,
      maxFilesPerRun: d.maxFilesPerRun, fileTypes: d.fileTypes, kafka: a.agreement.kafka, stagingSubdir: d.stagingSubdir,
    })).resolves.toEqual({
      retentionDays: 7, retentionMs: 604_800_000, schedule: '0 * * * *', timeZone: undefined,
      resources: { requests: { memory: '64Mi', cpu: '250m' }, limits: { memory: '128Mi', cpu: '500m' } }, limitMillicores: 500, limitBytes: 128 * 2 ** 20,
      partitionKey: ['PROVINCECODE'], clusteringKey: ['DEVICEID', 'ONUID'], keyspace: 'mysimbdp_coredms', table: 'analytics',
      topics: { main: 'client_a.speed-tracking-data', raw: 'client_a.speed-tracking-data.raw', dlq: 'client_a.speed-tracking-data.dlq' },
      header: true, delimiter: ',', maxFileSizeBytes: 50 * 1024 * 1024, maxFilesPerRun: 100, fileTypes: ['csv'],
      kafka: { partitions: 3, producerByteRate: 10_485_760, consumerByteRate: 20_971_520 }, stagingSubdir: undefined,
    });
    await expect(Promise.resolve(d.fields.map((f) => `${f.name}:${f.cqlType}`))).resolves.toEqual([
      'PROVINCECODE:text', 'DEVICEID:text', 'IFINDEX:int', 'FRAME:int', 'SLOT:int', 'PORT:int', 'ONUINDEX:int', 'ONUID:int', 'TIME:text', 'SPEEDIN:double', 'SPEEDOUT:double',
    ]);
    await expect(Promise.resolve(Number.isInteger(d.schemaId) && d.schemaId > 0)).resolves.toBe(true);
  });

  it("maps client_b's field-level date to a date column", async () => {
    const d = findDataset(findTenant(tenants, 'client_b'));
    await expect(Promise.resolve(d.fields.find((f) => f.name === 'review_date'))).resolves.toEqual({ name: 'review_date', avroType: 'string', cqlType: 'date', nullable: false, logicalType: 'date' });
  });

  it('names unknown tenants and datasets', async () => {
    await expect(Promise.resolve().then(() => findTenant(tenants, 'nobody'))).rejects.toThrow('nobody: (file): is not a known tenant (known: client_a, client_b) (rule known-tenant, value "nobody")');
    await expect(Promise.resolve().then(() => findDataset(tenants[0]!, 'x'))).rejects.toThrow('tenant client_a has no dataset "x" (has: speed-tracking-data)');
  });
});

describe('loadTenants rejects', () => {
  it("the seed's verbatim client_b agreement for its CPU limit, and nothing else", async () => {
    await expect(Promise.resolve(messages(path.join(REPO, 'test/fixtures/tenants-seed-verbatim')))).resolves.toEqual([
      'client_b/agreement.json: resources.limits.cpu: is in a byte unit (Gi); CPU is counted in cores, such as "1", "0.5" or "500m" (rule cpu-mistake, value "1Gi")',
    ]);
  });

  it.each([
    ['a folder that differs from the client id', (a: Record<string, unknown>) => { a.client = 'client_z'; }, 'client_a/agreement.json: client: must equal the tenant folder name "client_a" (rule client-folder, value "client_z")'],
    ['a client id with a dash', (a: Record<string, unknown>) => { a.client = 'client-a'; }, 'client_a/agreement.json: client: must start with a lowercase letter and contain only lowercase letters, digits and "_", not ending in "_" (rule client-id, value "client-a")'],
    ['a non-numeric retention', (a: Record<string, unknown>) => { a.data_retention_period_days = '7 days'; }, 'client_a/agreement.json: data_retention_period_days: must be a positive number of days (a number or a numeric string such as "7") (rule retention, value "7 days")'],
    ['a zero retention', (a: Record<string, unknown>) => { a.data_retention_period_days = 0; }, 'client_a/agreement.json: data_retention_period_days: must be a positive number of days (a number or a numeric string such as "7") (rule retention, value 0)'],
    ['a retention of the wrong type', (a: Record<string, unknown>) => { a.data_retention_period_days = true; }, 'client_a/agreement.json: data_retention_period_days: must be number,string (rule type, value true)'],
    ['a 6-field cron', (a: Record<string, unknown>) => { a.schedule = '0 0 * * * *'; }, 'client_a/agreement.json: schedule: must be a CronJob schedule (5 fields, a descriptor such as @hourly, or @every <duration>): expected exactly 5 fields (minute hour day-of-month month day-of-week), found 6 (rule cron, value "0 0 * * * *")'],
    ['requests above limits', (a: Record<string, unknown>) => { (a.resources as { requests: { memory: string } }).requests.memory = '256Mi'; }, 'client_a/agreement.json: resources.requests.memory: must not exceed limits.memory (128Mi) (rule request-within-limit, value "256Mi")'],
    ['a missing schedule', (a: Record<string, unknown>) => { delete a.schedule; }, 'client_a/agreement.json: schedule: is required (rule required)'],
    ['a time zone in the wrong case', (a: Record<string, unknown>) => { a.time_zone = 'europe/helsinki'; }, 'client_a/agreement.json: time_zone: is not an IANA time zone in its own case (did you mean "Europe/Helsinki"?) (rule time-zone, value "europe/helsinki")'],
    ['an implicit time zone', (a: Record<string, unknown>) => { a.time_zone = 'Local'; }, 'client_a/agreement.json: time_zone: must be an explicit IANA time zone such as "Europe/Helsinki" or "UTC" (rule time-zone, value "Local")'],
    ['a TZ in the schedule', (a: Record<string, unknown>) => { a.schedule = 'CRON_TZ=Europe/Helsinki 0 2 * * *'; }, 'client_a/agreement.json: schedule: must be a CronJob schedule (5 fields, a descriptor such as @hourly, or @every <duration>): cannot use TZ or CRON_TZ in schedule (the API server refuses it; schedules run in UTC) (rule cron, value "CRON_TZ=Europe/Helsinki 0 2 * * *")'],
    ['a misspelt property', (a: Record<string, unknown>) => { a.schedul = '@hourly'; }, 'client_a/agreement.json: schedul: is not a known property (rule additionalProperties, value "@hourly")'],
    ['min_replicas above max_replicas', (a: Record<string, unknown>) => { a.stream = { min_replicas: 4, max_replicas: 2 }; }, 'client_a/agreement.json: stream.min_replicas: must not exceed stream.max_replicas (2) (rule replica-range, value 4)'],
    ['a maven plugin without a version', (a: Record<string, unknown>) => { a.connectors = [{ name: 'es', direction: 'sink', class: 'io.x.Sink', plugins: [{ name: 'p', artifacts: [{ type: 'maven', group: 'g', artifact: 'a' }] }] }]; }, 'client_a/agreement.json: connectors[0].plugins[0].artifacts[0]: a maven artifact needs group, artifact and version (rule maven-artifact, value {"type":"maven","group":"g","artifact":"a"})'],
    ['a connector and a plugin with bad names', (a: Record<string, unknown>) => { a.connectors = [{ name: 'Es', direction: 'sink', class: 'io.x.Sink', plugins: [{ name: 'p-', artifacts: [{ type: 'maven', group: 'g', artifact: 'a', version: '1' }] }] }]; }, [
      `client_a/agreement.json: connectors[0].name: must be a DNS label of at most 40 characters (a-z, 0-9 and '-', starting and ending with a letter or digit) (rule dns-label, value "Es")`,
      `client_a/agreement.json: connectors[0].plugins[0].name: must be a DNS label of at most 40 characters (a-z, 0-9 and '-', starting and ending with a letter or digit) (rule dns-label, value "p-")`,
    ]],
    ['a connector on an unknown dataset', (a: Record<string, unknown>) => { a.connectors = [{ name: 'es', direction: 'sink', class: 'io.x.Sink', dataset: 'nope', plugins: [{ name: 'p', artifacts: [{ type: 'maven', group: 'g', artifact: 'a', version: '1' }] }] }]; }, 'client_a/agreement.json: connectors[0].dataset: names no dataset of this tenant (rule connector-dataset, value "nope")'],
  ] as [string, (a: Record<string, unknown>) => void, string | string[]][])('agreement: %s', async (_label, change, expected) => {
    await expect(Promise.resolve(messages(clientA((a) => change(a))))).resolves.toEqual([expected].flat());
  });

  it.each([
    ['an unknown file type', (d: Record<string, unknown>) => { d.file_type = 'xml'; }, 'client_a/dataset.json: file_type: must be one of "csv", "tsv", "jsonl" (rule enum, value "xml")'],
    ['an unknown file type in a list', (d: Record<string, unknown>) => { d.file_type = ['csv', 'xls']; }, 'client_a/dataset.json: file_type[1]: must be one of "csv", "tsv", "jsonl" (rule enum, value "xls")'],
    ['a primary key field missing from the schema', (d: Record<string, unknown>) => { d.primary_key = ['PROVINCECODE', 'NOPE']; }, 'client_a/dataset.json: primary_key[1]: names no field of the Avro schema (rule primary-key-field, value "NOPE")'],
    ['a composite partition key naming a missing field', (d: Record<string, unknown>) => { d.primary_key = [['PROVINCECODE', 'X'], 'ONUID']; }, 'client_a/dataset.json: primary_key[0][1]: names no field of the Avro schema (rule primary-key-field, value "X")'],
    ['a nested list after the partition key', (d: Record<string, unknown>) => { d.primary_key = ['PROVINCECODE', ['ONUID']]; }, 'client_a/dataset.json: primary_key[1]: only the first element may be a list (the composite partition key) (rule primary-key-form, value ["ONUID"])'],
    ['a repeated primary key column', (d: Record<string, unknown>) => { d.primary_key = ['ONUID', 'ONUID']; }, 'client_a/dataset.json: primary_key[1]: names a column already in the primary key (rule primary-key-duplicate, value "ONUID")'],
    ['a nullable primary key field', (d: Record<string, unknown>) => { (d.schema as { fields: { type: unknown }[] }).fields[0]!.type = ['null', 'string']; }, 'client_a/dataset.json: primary_key[0]: must not be a nullable field: primary key columns always have a value (rule primary-key-nullable, value "PROVINCECODE")'],
    ['an invalid Avro type', (d: Record<string, unknown>) => { (d.schema as { fields: { type: unknown }[] }).fields[2]!.type = 'integer'; }, 'client_a/dataset.json: schema.fields[2].type: is not supported as a column: use a primitive, enum, array or map of primitives, or a ["null", T] union (nested records and fixed must be flattened) (rule avro-type, value "integer")'],
    ['a duplicate field name', (d: Record<string, unknown>) => { (d.schema as { fields: { name: string }[] }).fields[1]!.name = 'PROVINCECODE'; }, 'client_a/dataset.json: schema.fields[1].name: is the name of an earlier field (rule avro-duplicate-field, value "PROVINCECODE")', 'client_a/dataset.json: primary_key[1]: names no field of the Avro schema (rule primary-key-field, value "DEVICEID")'],
    ['a default that does not fit its type', (d: Record<string, unknown>) => { (d.schema as { fields: Record<string, unknown>[] }).fields[2]!.default = 'x'; }, 'client_a/dataset.json: schema: is not a valid Avro schema: incompatible field default "x" (invalid "int": "x") (rule avro-schema, value "analytics")'],
    ['a union of two non-null types', (d: Record<string, unknown>) => { (d.schema as { fields: { type: unknown }[] }).fields[9]!.type = ['int', 'double']; }, 'client_a/dataset.json: schema.fields[9].type: unions are supported only as ["null", T] (a nullable column) (rule avro-union, value ["int","double"])'],
    ['a nested record', (d: Record<string, unknown>) => { (d.schema as { fields: { type: unknown }[] }).fields[9]!.type = { type: 'record', name: 'inner', fields: [{ name: 'x', type: 'int' }] }; }, 'client_a/dataset.json: schema.fields[9].type: is not supported as a column: use a primitive, enum, array or map of primitives, or a ["null", T] union (nested records and fixed must be flattened) (rule avro-type, value "record")'],
    ['an unknown logical type', (d: Record<string, unknown>) => { (d.schema as { fields: { type: unknown }[] }).fields[8]!.type = { type: 'long', logicalType: 'timestamp-milli' }; }, 'client_a/dataset.json: schema.fields[8].type.logicalType: must be one of date, timestamp-millis, timestamp-micros, decimal, uuid (rule avro-logical-type, value "timestamp-milli")'],
    ['a logical type on the wrong base', (d: Record<string, unknown>) => { (d.schema as { fields: { type: unknown }[] }).fields[8]!.type = { type: 'double', logicalType: 'date' }; }, 'client_a/dataset.json: schema.fields[8].type.logicalType: date annotates int or string, not double (rule avro-logical-type, value "date")'],
    ['a quality rule with two kinds', (d: Record<string, unknown>) => { d.quality_rules = [{ field: 'SPEEDIN', min: 0, pattern: 'x' }]; }, 'client_a/dataset.json: quality_rules[0]: must have exactly one of required, min/max, pattern, allowed, max_age_days (found range, pattern) (rule quality-rule-kind, value {"field":"SPEEDIN","min":0,"pattern":"x"})'],
    ['a quality rule on an unknown field', (d: Record<string, unknown>) => { d.quality_rules = [{ field: 'SPEED', min: 0 }]; }, 'client_a/dataset.json: quality_rules[0].field: names no field of the Avro schema (rule quality-rule-field, value "SPEED")'],
    ['a range on a text field', (d: Record<string, unknown>) => { d.quality_rules = [{ field: 'DEVICEID', min: 0 }]; }, 'client_a/dataset.json: quality_rules[0]: min/max needs a numeric field, "DEVICEID" is text (rule quality-rule-type, value "DEVICEID")'],
    ['a range running backwards', (d: Record<string, unknown>) => { d.quality_rules = [{ field: 'SPEEDIN', min: 5, max: 1 }]; }, 'client_a/dataset.json: quality_rules[0].min: must not exceed max (1) (rule quality-rule-range, value 5)'],
    ['an invalid regular expression', (d: Record<string, unknown>) => { d.quality_rules = [{ field: 'DEVICEID', pattern: '([a-z' }]; }, 'client_a/dataset.json: quality_rules[0].pattern: is not a valid regular expression: Invalid regular expression: /([a-z/u: Unterminated character class (rule quality-rule-pattern, value "([a-z")'],
    ['timeliness on a number', (d: Record<string, unknown>) => { d.quality_rules = [{ field: 'SPEEDIN', max_age_days: 3 }]; }, 'client_a/dataset.json: quality_rules[0]: max_age_days needs a date or timestamp field, "SPEEDIN" is double (rule quality-rule-type, value "SPEEDIN")'],
    ['two rules with one name', (d: Record<string, unknown>) => { d.quality_rules = [{ field: 'SPEEDIN', min: 0 }, { field: 'SPEEDIN', max: 9 }]; }, 'client_a/dataset.json: quality_rules[1]: is the name of another rule of this dataset (rule quality-rule-name, value "SPEEDIN.range")'],
    ['a dataset name with an underscore', (d: Record<string, unknown>) => { d.name = 'speed_data'; }, 'client_a/dataset.json: name: must be a DNS label of at most 40 characters (a-z, 0-9 and \'-\', starting and ending with a letter or digit) (rule dns-label, value "speed_data")'],
    ['a dataset name of 41 characters', (d: Record<string, unknown>) => { d.name = 'a'.repeat(41); }, `client_a/dataset.json: name: must be a DNS label of at most 40 characters (a-z, 0-9 and '-', starting and ending with a letter or digit) (rule dns-label, value "${'a'.repeat(41)}")`],
    ['a schedule override that is not cron', (d: Record<string, unknown>) => { d.schedule = '*/5 * * *'; }, 'client_a/dataset.json: schedule: must be a CronJob schedule (5 fields, a descriptor such as @hourly, or @every <duration>): expected exactly 5 fields (minute hour day-of-month month day-of-week), found 4 (rule cron, value "*/5 * * *")'],
    ['a resources override with a bad CPU', (d: Record<string, unknown>) => { d.resources = { requests: { cpu: '1Gi', memory: '64Mi' }, limits: { cpu: '1', memory: '64Mi' } }; }, 'client_a/dataset.json: resources.requests.cpu: is in a byte unit (Gi); CPU is counted in cores, such as "1", "0.5" or "500m" (rule cpu-mistake, value "1Gi")'],
    ['a header flag that is not a boolean', (d: Record<string, unknown>) => { d['csv.first.row.as.header'] = 'yes'; }, 'client_a/dataset.json: ["csv.first.row.as.header"]: must be one of "true", "false", true, false (rule enum, value "yes")'],
  ])('dataset: %s', async (_label, change, ...expected) => {
    await expect(Promise.resolve(messages(clientA((_a, d) => change(d))))).resolves.toEqual(expected);
  });

  it('invalid JSON, naming line and column', async () => {
    const dir = writeTenants({ client_a: { dataset: seed.datasetA(), raw: { 'agreement.json': '{\n  "client": "client_a",\n  "schedule": "@hourly",,\n}' } } });
    await expect(Promise.resolve(messages(dir))).resolves.toEqual([
      'client_a/agreement.json: (file): is not valid JSON at line 3, column 25: Expected double-quoted property name (rule json)',
    ]);
  });

  it('a tenant without agreement, a tenant without dataset, and stray files — all in one run', async () => {
    const dir = writeTenants({
      client_a: { dataset: seed.datasetA() },
      client_b: { agreement: seed.agreementB(), raw: { 'notes.txt': 'x' } },
      client_c: { agreement: { ...seed.agreementA(), client: 'client_c' }, dataset: { ...seed.datasetA(), name: 'other' }, raw: { 'datasets/readme.md': 'x' } },
    });
    await expect(Promise.resolve(messages(dir))).resolves.toEqual([
      'client_a/agreement.json: (file): is missing: every tenant needs an agreement (rule tenant-layout)',
      'client_b/notes.txt: (file): is not a tenant file (expected agreement.json, dataset.json, datasets/<name>.json) (rule tenant-layout)',
      'client_b/dataset.json: (file): is missing: a tenant needs dataset.json or datasets/<name>.json (rule tenant-layout)',
      'client_c/datasets/readme.md: (file): is not a dataset file (datasets/<name>.json) (rule tenant-layout)',
    ]);
  });

  it('two tenants sharing a keyspace (a tenant\'s role is granted per keyspace), whatever their tables', async () => {
    const dir = writeTenants({
      client_a: { agreement: seed.agreementA(), dataset: seed.datasetA() },
      client_c: { agreement: { ...seed.agreementA(), client: 'client_c' }, dataset: { ...seed.datasetA(), schema: { ...(seed.datasetA().schema as object), name: 'other' } } },
    });
    await expect(Promise.resolve(messages(dir))).resolves.toEqual([
      'client_c/dataset.json: key_space: is already the keyspace of tenant client_a; a keyspace belongs to one tenant (rule keyspace-owner, value "mysimbdp_coredms")',
    ]);
  });

  it('two datasets of one tenant writing the same table', async () => {
    const dir = writeTenants({ client_a: { agreement: seed.agreementA(), datasets: { one: { ...seed.datasetA(), name: 'one' }, two: { ...seed.datasetA(), name: 'two' } } } });
    await expect(Promise.resolve(messages(dir))).resolves.toEqual([
      'client_a/datasets/two.json: schema.name: key_space + table "mysimbdp_coredms.analytics" is already used by ' + path.join(dir, 'client_a/datasets/one.json') + ' (rule unique-table, value "analytics")',
    ]);
  });

  it.each(['system_auth', 'system'])('a reserved keyspace: %s', async (keyspace) => {
    const dir = writeTenants({ client_a: { agreement: seed.agreementA(), dataset: { ...seed.datasetA(), key_space: keyspace } } });
    await expect(Promise.resolve(messages(dir))).resolves.toEqual([`client_a/dataset.json: key_space: is reserved (one of Cassandra's own keyspaces) (rule reserved-keyspace, value "${keyspace}")`]);
  });

  it.each(['mysimbdp_ingestion_log', 'MYSIMBDP_files'])('a table in the platform\'s prefix: %s', async (table) => {
    const dir = writeTenants({ client_a: { agreement: seed.agreementA(), dataset: { ...seed.datasetA(), schema: { ...(seed.datasetA().schema as object), name: table } } } });
    await expect(Promise.resolve(messages(dir))).resolves.toEqual([
      `client_a/dataset.json: schema.name: is reserved (tables starting with "mysimbdp_" hold the platform's ingestion log) (rule reserved-table, value "${table}")`,
    ]);
  });

  it('a datasets/<name>.json whose name differs from its file, and a duplicate dataset name', async () => {
    const dir = writeTenants({ client_a: { agreement: seed.agreementA(), dataset: seed.datasetA(), datasets: { other: { ...seed.datasetA(), name: 'speed-tracking-data', schema: { ...(seed.datasetA().schema as object), name: 't2' } } } } });
    await expect(Promise.resolve(messages(dir))).resolves.toEqual([
      'client_a/datasets/other.json: name: must equal the file name "other" (rule dataset-file-name, value "speed-tracking-data")',
    ]);
  });

  it('a file that is not a folder at the top level', async () => {
    const dir = writeTenants({ client_a: { agreement: seed.agreementA(), dataset: seed.datasetA() } });
    require('node:fs').writeFileSync(path.join(dir, 'client_b.json'), '{}');
    await expect(Promise.resolve(messages(dir))).resolves.toEqual(['client_b.json: (file): is not a tenant folder (tenants live in <tenants>/<client>/) (rule tenant-layout)']);
  });

  it('loadTenantsOrThrow carries every issue', async () => {
    const dir = clientA((a, d) => { a.schedule = 'bad'; d.file_type = 'xml'; });
    const error = (() => { try { loadTenantsOrThrow(dir); } catch (e) { return e; } return undefined; })();
    await expect(Promise.resolve(error)).resolves.toBeInstanceOf(TenantValidationError);
    await expect(Promise.resolve((error as TenantValidationError).issues.map((i) => i.rule))).resolves.toEqual(['cron', 'enum']);
  });
});

describe('loadTenants accepts', () => {
  it('several datasets per tenant, each with its own schedule and resources', async () => {
    const extra = { ...seed.datasetA(), name: 'reviews', file_type: ['csv', 'jsonl'], schema: { ...(seed.datasetA().schema as object), name: 'speed2' }, schedule: '@daily', resources: { requests: { cpu: '100m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } } };
    const dir = writeTenants({ client_a: { agreement: seed.agreementA(), datasets: { reviews: extra, speed: { ...seed.datasetA(), name: 'speed' } } } });
    const { tenants, issues } = loadTenants(dir);
    await expect(Promise.resolve(issues)).resolves.toEqual([]);
    await expect(Promise.resolve(tenants[0]!.datasets.map((d) => [d.name, d.schedule.toString(), d.resources.limits.cpu.text, d.stagingSubdir, d.fileTypes]))).resolves.toEqual([
      ['reviews', '@daily', '200m', 'reviews', ['csv', 'jsonl']],
      ['speed', '0 * * * *', '500m', 'speed', ['csv']],
    ]);
  });

  it('numeric retention, macros, composite partition keys, nullable unions and logical types', async () => {
    const dir = clientA((a, d) => {
      a.data_retention_period_days = 1.5;
      a.schedule = '@hourly';
      d.primary_key = [['PROVINCECODE', 'DEVICEID'], 'ONUID'];
      const fields = (d.schema as { fields: unknown[] }).fields;
      fields.push(
        { name: 'note', type: ['null', 'string'], default: null },
        { name: 'seen', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
        { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
        { name: 'day', type: { type: 'int', logicalType: 'date' } },
        { name: 'tags', type: { type: 'array', items: 'string' } },
        { name: 'attrs', type: { type: 'map', values: 'long' } },
        { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B'] } },
      );
    });
    const { tenants, issues } = loadTenants(dir);
    await expect(Promise.resolve(issues)).resolves.toEqual([]);
    const d = tenants[0]!.datasets[0]!;
    await expect(Promise.resolve([tenants[0]!.agreement.retentionMs, d.partitionKey, d.clusteringKey])).resolves.toEqual([129_600_000, ['PROVINCECODE', 'DEVICEID'], ['ONUID']]);
    await expect(Promise.resolve(d.fields.slice(11).map((f) => `${f.name}:${f.cqlType}${f.nullable ? '?' : ''}`))).resolves.toEqual([
      'note:text?', 'seen:timestamp', 'price:decimal', 'id:uuid', 'day:date', 'tags:list<text>', 'attrs:map<text, bigint>', 'kind:text',
    ]);
  });
});

describe('loadTenants schedules', () => {
  it("parses the schedule once, in the agreement's time zone, for the agreement and every dataset override", async () => {
    const dir = clientA((a, d) => {
      a.time_zone = 'Europe/Helsinki';
      d.schedule = '30 2 * * MON';
    });
    const [tenant] = loadTenants(dir).tenants;
    await expect(Promise.resolve([tenant!.agreement.schedule.toString(), tenant!.datasets[0]!.schedule.toString()])).resolves.toEqual(['0 * * * * (Europe/Helsinki)', '30 2 * * MON (Europe/Helsinki)']);
    await expect(Promise.resolve(tenant!.datasets[0]!.schedule.next(new Date('2026-12-03T10:00:00Z'))?.toISOString())).resolves.toBe('2026-12-07T00:30:00.000Z');
  });
});
