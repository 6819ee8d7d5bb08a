import type { Schedule } from './rules/cron';
import type { Quantity } from './rules/quantity';
// Typed tenant model. Tenant files are parsed and validated once (load-tenants.ts); every other
// module — constructs, Pulumi program, runtime — takes these objects, never raw JSON.

export type FileType = 'csv' | 'tsv' | 'jsonl';

/** Parsed by the contract's kernel: `cpu` in cores, `memory` in bytes (see rules/quantity.ts). */
export interface ResourceQuantities {
  readonly cpu: Quantity;
  readonly memory: Quantity;
}

export interface Resources {
  readonly requests: ResourceQuantities;
  readonly limits: ResourceQuantities;
}

/** Logical types the Avro → CQL mapping understands. */
export type LogicalType = 'date' | 'timestamp-millis' | 'timestamp-micros' | 'decimal' | 'uuid';

/** Avro primitive a column is carried as on the wire (after unwrapping a nullable union). */
export type AvroPrimitive = 'string' | 'int' | 'long' | 'float' | 'double' | 'boolean' | 'bytes';

/** One Avro record field resolved to its Cassandra column. */
export interface FieldSpec {
  /** Avro field name; also the Cassandra column name (always quoted in CQL). */
  readonly name: string;
  /** Avro primitive the value has on the wire (enum → string, fixed → bytes). */
  readonly avroType: AvroPrimitive;
  /** CQL type of the column, e.g. `text`, `bigint`, `timestamp`, `list<int>`. */
  readonly cqlType: string;
  /** True when the Avro type is a union with null. */
  readonly nullable: boolean;
  /** Logical type, from the type (standard Avro) or the field (the seed's form). */
  readonly logicalType?: LogicalType;
  /** Digits of a `decimal`, from the same place as its logicalType. Precision @default 38; scale @default 0 (Avro's). */
  readonly decimal?: { readonly precision: number; readonly scale: number };
  /** Element primitive for `array` fields, value primitive for `map` fields. */
  readonly itemType?: AvroPrimitive;
  readonly container?: 'array' | 'map';
  /** Symbols of an Avro enum (carried as text). */
  readonly symbols?: readonly string[];
  /** Avro default, when the schema declares one. */
  readonly default?: unknown;
}

export type QualityRuleKind = 'required' | 'range' | 'pattern' | 'allowed' | 'timeliness';

/** A tenant-declared data-quality rule; rows failing one are rejected with the rule's name. */
export interface QualityRule {
  /** Name reported in the DLQ, quarantine file and ingestion log. @default `${field}.${kind}` */
  readonly name: string;
  readonly field: string;
  readonly kind: QualityRuleKind;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly values?: readonly (string | number)[];
  /** For `timeliness`: the value (a date/timestamp) may be at most this many days old. */
  readonly maxAgeDays?: number;
}

export interface CsvOptions {
  /** First row holds the column names (`csv.first.row.as.header`). */
  readonly header: boolean;
  /** Field delimiter of csv files (`csv.delimiter`); tsv files always use a tab. @default "," */
  readonly delimiter: string;
  /** Quote character. @default '"' */
  readonly quote: string;
}

export interface TopicNames {
  /** Validated rows, Avro (Confluent wire format): `<client>.<dataset>`. */
  readonly main: string;
  /** JSON messages tenants send for near-real-time ingestion: `<client>.<dataset>.raw`. */
  readonly raw: string;
  /** Rejected rows with their reason: `<client>.<dataset>.dlq`. */
  readonly dlq: string;
}

export interface Dataset {
  /** Dataset name (`name`), DNS-safe: lowercase letters, digits and `-`. */
  readonly name: string;
  /** File the dataset came from, relative to the working directory as given to the loader. */
  readonly file: string;
  /** Accepted file formats (`file_type`, a string or a list). */
  readonly fileTypes: readonly FileType[];
  readonly keyspace: string;
  /** Cassandra table: the Avro record's `schema.name`. */
  readonly table: string;
  /** The Avro record schema exactly as declared. */
  readonly schema: Readonly<Record<string, unknown>>;
  readonly fields: readonly FieldSpec[];
  /** Partition key columns (first element of `primary_key`, or its nested list). */
  readonly partitionKey: readonly string[];
  /** Clustering columns (the rest of `primary_key`). */
  readonly clusteringKey: readonly string[];
  readonly csv: CsvOptions;
  readonly maxFileSizeMb: number;
  readonly maxFileSizeBytes: number;
  /** @default 100 */
  readonly maxFilesPerRun: number;
  readonly qualityRules: readonly QualityRule[];
  /** Schedule of the batch CronJob, parsed: the dataset's override, else the agreement's; in the agreement's `time_zone`. */
  readonly schedule: Schedule;
  /** Resources of this dataset's workloads: the dataset's override, else the agreement's. */
  readonly resources: Resources;
  readonly topics: TopicNames;
  /**
   * Folder under `{SOURCE_PATH}/{CLIENT_ID}/in` (and `out`, `archive`, …) for this dataset's files:
   * undefined for `dataset.json` (files sit directly in `in/`), the dataset name for
   * `datasets/<name>.json` (files in `in/<name>/`).
   */
  readonly stagingSubdir?: string;
  /** Schema id written in the Confluent wire format when no schema registry is configured:
   * the first 31 bits of the SHA-256 of the schema's Avro canonical form (stable per version). */
  readonly schemaId: number;
}

export interface StreamSettings {
  /** Seconds between reports of a stream instance to the monitor. @default 10 */
  readonly reportIntervalSeconds: number;
  /** Below this ingestion rate the monitor scales up. @default 0 (never) */
  readonly minRowsPerSecond: number;
  /** Above this average per-file/message-batch ingestion time the monitor scales up. @default 60000 */
  readonly maxAvgIngestionMs: number;
  /** @default 1 */
  readonly minReplicas: number;
  /** @default 3 */
  readonly maxReplicas: number;
}

export interface KafkaSettings {
  /** Partitions of each tenant topic. @default 3 */
  readonly partitions: number;
  /** KafkaUser producer quota in bytes/s. @default 10485760 */
  readonly producerByteRate: number;
  /** KafkaUser consumer quota in bytes/s. @default 20971520 */
  readonly consumerByteRate: number;
}

export interface ConnectorPluginArtifact {
  readonly type: 'maven' | 'jar' | 'tgz' | 'zip';
  /** Maven coordinates, for `maven` artifacts. */
  readonly group?: string;
  readonly artifact?: string;
  readonly version?: string;
  /** Download URL, for `jar`/`tgz`/`zip` artifacts. */
  readonly url?: string;
  readonly sha512sum?: string;
}

export interface ConnectorPlugin {
  readonly name: string;
  readonly artifacts: readonly ConnectorPluginArtifact[];
}

/** An extra sink or source the tenant asks for, run by the tenant's Kafka Connect worker. */
export interface ConnectorSpec {
  /** DNS-safe connector name. */
  readonly name: string;
  readonly direction: 'sink' | 'source';
  readonly className: string;
  /** @default 1 */
  readonly tasksMax: number;
  /** Connector config; for sinks `topics` defaults to the dataset's main topic. */
  readonly config: Readonly<Record<string, string | number | boolean>>;
  readonly plugins: readonly ConnectorPlugin[];
  /** Dataset the connector reads from or writes to. @default the tenant's first dataset */
  readonly dataset?: string;
}

export interface Agreement {
  readonly file: string;
  readonly client: string;
  readonly retentionDays: number;
  /** `retentionDays` × 86,400,000. */
  readonly retentionMs: number;
  /** `schedule`, parsed, in `time_zone` (@default UTC). */
  readonly schedule: Schedule;
  readonly resources: Resources;
  readonly kafka: KafkaSettings;
  readonly stream: StreamSettings;
  readonly connectors: readonly ConnectorSpec[];
  /** Files in staging are stored AES-256-GCM encrypted. @default false */
  readonly encryption: boolean;
}

export interface Tenant {
  /** Client id exactly as in the agreement, e.g. `client_a`. */
  readonly client: string;
  /** DNS-safe form for Kubernetes names, e.g. `client-a`. */
  readonly dnsName: string;
  /** Tenant folder, e.g. `tenants/client_a`. */
  readonly dir: string;
  readonly agreement: Agreement;
  readonly datasets: readonly Dataset[];
}
