// Hand-built tenant objects for unit tests, mirroring tenants/client_a and tenants/client_b, plus a
// dataset with nullable unions and standard logical types.
import type { Dataset, FieldSpec, Tenant } from '../../../infra/tenant/types';
import { resources, schedule } from '../../infra/fixtures';

const RESOURCES = resources('250m', '64Mi', '500m', '128Mi');

function field(name: string, avroType: FieldSpec['avroType'], cqlType: string, extra: Partial<FieldSpec> = {}): FieldSpec {
  return { name, avroType, cqlType, nullable: false, ...extra };
}

function dataset(client: string, d: Omit<Dataset, 'file' | 'csv' | 'maxFileSizeBytes' | 'maxFilesPerRun' | 'qualityRules' | 'schedule' | 'resources' | 'topics' | 'fileTypes'> & Partial<Dataset>): Dataset {
  return {
    file: `tenants/${client}/dataset.json`,
    fileTypes: ['csv'],
    csv: { header: true, delimiter: ',', quote: '"' },
    maxFileSizeBytes: d.maxFileSizeMb * 1024 * 1024,
    maxFilesPerRun: 100,
    qualityRules: [],
    schedule: schedule('0 * * * *'),
    resources: RESOURCES,
    topics: { main: `${client}.${d.name}`, raw: `${client}.${d.name}.raw`, dlq: `${client}.${d.name}.dlq` },
    ...d,
  };
}

export const CLIENT_A_FIELDS: FieldSpec[] = [
  field('PROVINCECODE', 'string', 'text'),
  field('DEVICEID', 'string', 'text'),
  field('IFINDEX', 'int', 'int'),
  field('FRAME', 'int', 'int'),
  field('SLOT', 'int', 'int'),
  field('PORT', 'int', 'int'),
  field('ONUINDEX', 'int', 'int'),
  field('ONUID', 'int', 'int'),
  field('TIME', 'string', 'text'),
  field('SPEEDIN', 'double', 'double'),
  field('SPEEDOUT', 'double', 'double'),
];

export function clientA(overrides: Partial<Dataset> = {}): Dataset {
  return dataset('client_a', {
    name: 'speed-tracking-data',
    keyspace: 'mysimbdp_coredms',
    table: 'analytics',
    schema: { type: 'record', name: 'analytics', fields: CLIENT_A_FIELDS.map((f) => ({ name: f.name, type: f.avroType })) },
    fields: CLIENT_A_FIELDS,
    partitionKey: ['PROVINCECODE'],
    clusteringKey: ['DEVICEID', 'ONUID'],
    maxFileSizeMb: 50,
    schemaId: 1001,
    ...overrides,
  });
}

const B_STRINGS = ['marketplace', 'customer_id', 'review_id', 'product_id', 'product_parent', 'product_title', 'product_category'];
export const CLIENT_B_FIELDS: FieldSpec[] = [
  ...B_STRINGS.map((n) => field(n, 'string', 'text')),
  field('star_rating', 'int', 'int'),
  field('helpful_votes', 'int', 'int'),
  field('total_votes', 'int', 'int'),
  field('vine', 'string', 'text'),
  field('verified_purchase', 'string', 'text'),
  field('review_headline', 'string', 'text'),
  field('review_body', 'string', 'text'),
  field('review_date', 'string', 'date', { logicalType: 'date' }),
];

export function clientB(overrides: Partial<Dataset> = {}): Dataset {
  return dataset('client_b', {
    name: 'amazon-product-review-data',
    keyspace: 'product_insights',
    table: 'product_reviews',
    schema: {
      type: 'record',
      name: 'product_reviews',
      fields: CLIENT_B_FIELDS.map((f) => (f.logicalType === undefined ? { name: f.name, type: f.avroType } : { name: f.name, type: f.avroType, logicalType: f.logicalType })),
    },
    fields: CLIENT_B_FIELDS,
    partitionKey: ['product_id'],
    clusteringKey: ['review_id', 'customer_id'],
    maxFileSizeMb: 20,
    schemaId: 1002,
    ...overrides,
  });
}

/** Nullable unions and standard logical types. */
export const SENSOR_FIELDS: FieldSpec[] = [
  field('sensorId', 'string', 'uuid', { logicalType: 'uuid' }),
  field('ts', 'long', 'timestamp', { logicalType: 'timestamp-millis' }),
  field('day', 'int', 'date', { logicalType: 'date' }),
  field('reading', 'double', 'double', { nullable: true }),
  field('note', 'string', 'text', { nullable: true, default: null }),
  field('amount', 'bytes', 'decimal', { logicalType: 'decimal', decimal: { precision: 10, scale: 2 }, nullable: true }),
  field('ok', 'boolean', 'boolean'),
  field('count', 'long', 'bigint', { nullable: true }),
  field('tsMicros', 'long', 'timestamp', { logicalType: 'timestamp-micros', nullable: true }),
  field('level', 'float', 'float', { nullable: true }),
];

export function sensors(overrides: Partial<Dataset> = {}): Dataset {
  return dataset('client_s', {
    name: 'sensors',
    fileTypes: ['csv', 'tsv', 'jsonl'],
    keyspace: 'sensors_ks',
    table: 'readings',
    schema: {
      type: 'record',
      name: 'readings',
      fields: [
        { name: 'sensorId', type: { type: 'string', logicalType: 'uuid' } },
        { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'day', type: { type: 'int', logicalType: 'date' } },
        { name: 'reading', type: ['null', 'double'] },
        { name: 'note', type: ['null', 'string'], default: null },
        { name: 'amount', type: ['null', { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 }] },
        { name: 'ok', type: 'boolean' },
        { name: 'count', type: ['null', 'long'] },
        { name: 'tsMicros', type: ['null', { type: 'long', logicalType: 'timestamp-micros' }] },
        { name: 'level', type: ['null', 'float'] },
      ],
    },
    fields: SENSOR_FIELDS,
    partitionKey: ['sensorId'],
    clusteringKey: ['ts'],
    maxFileSizeMb: 10,
    schemaId: 1003,
    ...overrides,
  });
}

export function tenantOf(client: string, datasets: Dataset[]): Tenant {
  return {
    client,
    dnsName: client.replace(/_/g, '-'),
    dir: `tenants/${client}`,
    agreement: {
      file: `tenants/${client}/agreement.json`,
      client,
      retentionDays: 7,
      retentionMs: 7 * 86_400_000,
      schedule: schedule('0 * * * *'),
      resources: RESOURCES,
      kafka: { partitions: 3, producerByteRate: 10_485_760, consumerByteRate: 20_971_520 },
      stream: { reportIntervalSeconds: 10, minRowsPerSecond: 0, maxAvgIngestionMs: 60_000, minReplicas: 1, maxReplicas: 3 },
      connectors: [],
      encryption: false,
    },
    datasets,
  };
}
