import { CASSANDRA_CONSOLE_ROLE } from '../../infra/constructs/common/naming';
import { DEFAULT_KEYS_DIR } from './crypto/key-ring';
import { LOG_LEVELS } from './log';
import { PROGRESS_INTERVAL_MS } from './progress';
import { SINK_SCALERS } from './manager/kubernetes-scale-target';
import { DEFAULTS } from './settings';

/**
 * The one table of commands and flags: each command's `run()` parses its flags from its entry
 * (`parseCommand`), and `--help`, the top-level usage and docs/cli.md are rendered from it, so a
 * flag, its variable or its default cannot exist without being documented. Only light modules are
 * imported here: the dispatcher loads this table before any command (`batch` must not load cdk8s).
 */

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** Placeholder in usage and help (`DIR`, `N`); string flags only. @default the choices joined by `|` */
  readonly value?: string;
  /** Environment variable read when the flag is absent (an empty value counts as unset). */
  readonly env?: string;
  /** Value when neither flag nor variable is set. */
  readonly default?: string;
  /** Help text for a default the command computes itself (the parsed value is then undefined). */
  readonly defaultNote?: string;
  /** The only accepted values; anything else is a usage error naming flag and value. */
  readonly choices?: readonly string[];
  /** Neither flag nor variable set is a usage error. @default false */
  readonly required?: boolean;
  readonly description: string;
}

/** A setting read only from the environment (a secret, or a rarely tuned knob). */
export interface EnvSpec {
  readonly default?: string;
  readonly defaultNote?: string;
  readonly choices?: readonly string[];
  readonly description: string;
}

export const COMMAND_GROUPS = ['tenant files and manifests', 'runtime'] as const;

export interface CommandSpec {
  readonly group: (typeof COMMAND_GROUPS)[number];
  readonly summary: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  readonly env?: Readonly<Record<string, EnvSpec>>;
  /** Connects to Kafka and/or Cassandra: reads the ENGINE_ENV variables. @default false */
  readonly engines?: boolean;
  /** Meaning of each exit code. */
  readonly exits: Readonly<Record<number, string>>;
}

/** Default port of the upload API. */
const DEFAULT_API_PORT = 8080;
/** Default port of the stream monitor. */
const DEFAULT_MONITOR_PORT = 8081;
/** Partitions one unlogged batch may cover when every node replicates every partition (see replica-layout.ts). */
const DEFAULT_BATCH_PARTITIONS = 50;

/** Variables of `engineSettings()` (settings.ts): endpoints and logins of Kafka and Cassandra. */
export const ENGINE_ENV: Readonly<Record<string, EnvSpec>> = {
  KAFKA_BROKERS: { default: DEFAULTS.kafkaBrokers, description: 'Kafka bootstrap servers, comma-separated' },
  KAFKA_USERNAME: { defaultNote: 'see CREDENTIALS_FILE', description: 'Kafka SASL user (with KAFKA_PASSWORD)' },
  KAFKA_PASSWORD: { defaultNote: 'see CREDENTIALS_FILE', description: 'Kafka SASL password' },
  KAFKA_SASL_MECHANISM: { default: 'scram-sha-512', description: 'scram-sha-512 or plain' },
  KAFKA_SSL: { default: 'false', description: 'TLS to Kafka: true or false' },
  CASSANDRA_CONTACT_POINTS: { default: DEFAULTS.cassandraContactPoints, description: 'Cassandra contact points, comma-separated' },
  CASSANDRA_LOCAL_DC: { default: DEFAULTS.cassandraLocalDc, description: 'Cassandra local data center' },
  CASSANDRA_USERNAME: { defaultNote: 'see CREDENTIALS_FILE', description: 'Cassandra role (with CASSANDRA_PASSWORD)' },
  CASSANDRA_PASSWORD: { defaultNote: 'see CREDENTIALS_FILE', description: 'Cassandra password' },
  CREDENTIALS_FILE: {
    defaultNote: "when no login variable is set: the local engines' .cache/engines/credentials/platform.json",
    description: 'credentials file whose values stand in for the unset variables above',
  },
};

/** Read by the dispatcher for every command. */
export const GLOBAL_ENV: Readonly<Record<string, EnvSpec>> = {
  LOG_LEVEL: { default: 'info', choices: LOG_LEVELS, description: 'lowest level of the JSON log lines on stderr (--verbose = debug)' },
};

const tenants = { type: 'string', value: 'DIR', env: 'TENANTS_DIR', default: DEFAULTS.tenantsDir, description: 'tenant files (<client>/dataset.json, agreement.json)' } as const satisfies FlagSpec;
const format = { type: 'string', choices: ['text', 'json'], default: 'text', description: 'output format' } as const satisfies FlagSpec;
const stack = { type: 'string', value: 'NAME', env: 'MYSIMBDP_STACK', default: 'dev', description: 'stack whose Pulumi.<stack>.yaml config to use' } as const satisfies FlagSpec;
const client = { type: 'string', value: 'ID', env: 'CLIENT_ID', required: true, description: 'tenant (client id)' } as const satisfies FlagSpec;
const dataset = { type: 'string', value: 'NAME', env: 'DATASET', defaultNote: "the tenant's first dataset", description: 'dataset of the tenant' } as const satisfies FlagSpec;
const source = { type: 'string', value: 'DIR', env: 'SOURCE_PATH', default: DEFAULTS.sourcePath, description: 'staging root; a tenant owns <DIR>/<client>/in, out, archive, failed, quarantine' } as const satisfies FlagSpec;
const metricsPort = {
  type: 'string', value: 'N', env: 'METRICS_PORT', defaultNote: 'none (no server)', description: 'port of /metrics, /healthz, /readyz; 0 = a free port (logged)',
} as const satisfies FlagSpec;
const credentialsDir = {
  type: 'string', value: 'DIR', env: 'CREDENTIALS_DIR', defaultNote: '.cache/engines/credentials', description: "tenants' engine credentials (<client>.json)",
} as const satisfies FlagSpec;
const progressSeconds = {
  type: 'string', value: 'S', env: 'PROGRESS_SECONDS', default: String(PROGRESS_INTERVAL_MS / 1000), description: 'seconds between progress log lines on stderr (a terminal gets a bar instead)',
} as const satisfies FlagSpec;
const keys = { type: 'string', value: 'DIR', env: 'ENCRYPTION_KEYS_DIR', description: "encrypting tenants' key files (<client>/<keyId>.key)" } as const satisfies FlagSpec;
const keysEnv = { default: DEFAULT_KEYS_DIR, description: keys.description } as const satisfies EnvSpec;
const consoleRoleEnv = {
  default: CASSANDRA_CONSOLE_ROLE,
  description: "the console's Cassandra role (the upload API's login), its credentials in <credentials-dir>/<role>.json; tests give their own",
} as const satisfies EnvSpec;
const usageExit = { 2: 'usage error' } as const;
/** The servers' flags and exits (api, monitor, stream). */
const listenPort = (port: number) => ({ type: 'string', value: 'N', env: 'PORT', default: String(port), description: 'port to listen on (0 = a free one)' }) as const satisfies FlagSpec;
const listenHost = { type: 'string', value: 'H', env: 'HOST', default: '0.0.0.0', description: 'address to listen on' } as const satisfies FlagSpec;
const serverExits = { 0: 'stopped by a signal', 1: 'failed', ...usageExit } as const;

export const COMMAND_SPECS = {
  validate: {
    group: 'tenant files and manifests',
    summary: 'validate every tenant file (and schema changes against a git ref)',
    flags: {
      tenants,
      base: { type: 'string', value: 'GITREF', description: 'also refuse schema changes Cassandra cannot apply, compared with the tenants at GITREF' },
      format,
    },
    exits: { 0: 'all tenants valid', 1: 'an error (each names file and JSON path)', ...usageExit },
  },
  synth: {
    group: 'tenant files and manifests',
    summary: 'write every manifest (platform and per tenant) as YAML',
    flags: { tenants, stack, out: { type: 'string', value: 'DIR', required: true, description: 'output folder (platform.yaml, tenant-<client>.yaml)' } },
    exits: { 0: 'written', 1: 'invalid tenants or stack config (nothing written)', ...usageExit },
  },
  diff: {
    group: 'tenant files and manifests',
    summary: 'markdown summary of what the working tree adds, changes and removes against a git ref',
    flags: { base: { type: 'string', value: 'GITREF', required: true, description: 'git ref to compare the working tree with' }, tenants, stack },
    exits: { 0: 'printed', 1: 'invalid tenants or stack config in the working tree', 2: 'usage error (also an unknown ref)' },
  },
  deploy: {
    group: 'tenant files and manifests',
    summary: 'run the Pulumi program for a stack and print what changed, per tenant',
    flags: {
      stack: { type: 'string', value: 'NAME', env: 'MYSIMBDP_STACK', required: true, description: 'Pulumi stack (Pulumi.<stack>.yaml; local = the local control plane)' },
      preview: { type: 'boolean', description: 'only preview the changes' },
      destroy: { type: 'boolean', description: "destroy the stack's resources" },
      tenants,
      backend: { type: 'string', value: 'URL', env: 'PULUMI_BACKEND_URL', defaultNote: 'file://.cache/pulumi/state', description: 'Pulumi state backend' },
      format,
    },
    env: { PULUMI_CONFIG_PASSPHRASE: { defaultNote: 'mysimbdp-local for stack local', description: "passphrase of a file backend's secrets" } },
    exits: { 0: 'done', 1: 'failed', ...usageExit },
  },
  provision: {
    group: 'runtime',
    summary: 'create keyspaces, tables, topics, each tenant’s Cassandra role and Kafka user, and the console’s role (idempotent)',
    flags: {
      tenants,
      client: { type: 'string', value: 'ID', defaultNote: 'every tenant', description: 'only this tenant' },
      'replication-factor': { type: 'string', value: 'N', env: 'CASSANDRA_REPLICATION_FACTOR', default: '1', description: 'replication of the keyspaces it creates' },
      'credentials-dir': credentialsDir,
      'no-kafka': { type: 'boolean', description: 'leave topics and Kafka users alone (Strimzi owns them in a cluster); same as PROVISION_KAFKA=false' },
    },
    env: { PROVISION_KAFKA: { default: 'true', choices: ['true', 'false'], description: 'provision topics and Kafka users' }, CASSANDRA_CONSOLE_ROLE: consoleRoleEnv },
    engines: true,
    exits: { 0: 'every dataset matches its contract', 1: 'a change was refused', ...usageExit },
  },
  batch: {
    group: 'runtime',
    summary: 'ingest what is in <source>/<client>/in once, then exit',
    flags: { client, dataset, source, tenants, 'progress-seconds': progressSeconds },
    env: { ENCRYPTION_KEYS_DIR: keysEnv },
    engines: true,
    exits: { 0: 'every file handled (even with rejected rows, or refused)', 1: 'a file could not be handled', ...usageExit },
  },
  sink: {
    group: 'runtime',
    summary: "Kafka → Cassandra for a tenant dataset's topic, until SIGTERM (or idle)",
    flags: {
      client,
      dataset,
      tenants,
      'until-idle': { type: 'boolean', description: "exit once the group's committed offsets reach the topic's end" },
      concurrency: { type: 'string', value: 'N', env: 'SINK_CONCURRENCY', default: '64', description: 'Cassandra writes in flight' },
      'batch-rows': { type: 'string', value: 'N', env: 'SINK_BATCH_ROWS', default: '200', description: 'rows per unlogged batch' },
      'batch-partitions': {
        type: 'string', value: 'N', env: 'SINK_BATCH_PARTITIONS', default: String(DEFAULT_BATCH_PARTITIONS), description: 'partitions one batch may cover (1 unless every node replicates all)',
      },
      'fetch-bytes': { type: 'string', value: 'N', env: 'SINK_FETCH_BYTES', defaultNote: 'from the V8 heap, 128 KiB to 1 MiB', description: 'bytes fetched per partition (one flush)' },
      'metrics-port': metricsPort,
    },
    engines: true,
    exits: { 0: 'stopped by a signal, or idle with --until-idle', 1: 'a flush failed for good (nothing past the last good flush committed)', ...usageExit },
  },
  stream: {
    group: 'runtime',
    summary: 'near-real-time ingestion of files arriving in in/ and messages on <client>.<dataset>.raw',
    flags: {
      client,
      dataset,
      source,
      tenants,
      'monitor-url': { type: 'string', value: 'URL', env: 'MONITOR_URL', defaultNote: 'none (no reports)', description: 'where to post reports to the monitor (needs MONITOR_TOKEN)' },
      'metrics-port': metricsPort,
      'rescan-seconds': { type: 'string', value: 'S', env: 'STREAM_RESCAN_SECONDS', default: '5', description: 'seconds between full scans of in/ (besides file events)' },
      'no-messages': { type: 'boolean', description: 'files only: do not consume the raw topic' },
    },
    env: {
      MONITOR_TOKEN: { description: "the tenant's report token, sent to the monitor (required with --monitor-url)" },
      STREAM_STALE_CLAIM_SECONDS: { default: '900', description: "age after which another instance's claim on a file is taken over" },
      STREAM_SHUTDOWN_GRACE_SECONDS: { default: '20', description: 'time to finish the file in progress on SIGTERM' },
      HOSTNAME: { defaultNote: '<host>:<pid>', description: 'instance name in logs and reports' },
      ENCRYPTION_KEYS_DIR: keysEnv,
    },
    engines: true,
    exits: serverExits,
  },
  api: {
    group: 'runtime',
    summary: 'the upload API (POST /upload-file/{tenant}, GET /tenant/{tenant}) and its console (GET /) until SIGTERM',
    flags: {
      port: listenPort(DEFAULT_API_PORT),
      host: listenHost,
      tokens: { type: 'string', value: 'FILE', env: 'API_TOKENS_FILE', required: true, description: 'JSON: client id → SHA-256 hex of its bearer token' },
      'operator-tokens': { type: 'string', value: 'FILE', env: 'API_OPERATOR_TOKENS_FILE', defaultNote: 'none (no operator view)', description: 'JSON: operator name → SHA-256 hex of its bearer token' },
      'monitor-url': {
        type: 'string', value: 'URL', env: 'MONITOR_URL', defaultNote: 'none (no decisions in the operator view)', description: "the monitor's base URL, whose GET /decisions the operator view shows (needs --monitor-token-file)",
      },
      'monitor-token-file': { type: 'string', value: 'FILE', env: 'MONITOR_OPERATOR_TOKEN_FILE', defaultNote: 'none', description: "file holding the API's operator token at the monitor" },
      tenants,
      source,
      keys: { ...keys, default: DEFAULT_KEYS_DIR },
    },
    // the console's figures: the ingestion log, read on demand with a login that may select it in every tenant keyspace (the console role)
    engines: true,
    exits: serverExits,
  },
  monitor: {
    group: 'runtime',
    summary: "receives the streams' reports, applies each tenant's thresholds, scales or alerts, until SIGTERM",
    flags: {
      port: listenPort(DEFAULT_MONITOR_PORT),
      host: listenHost,
      tokens: { type: 'string', value: 'FILE', env: 'MONITOR_TOKENS_FILE', required: true, description: "JSON: client id → SHA-256 hex of its report token" },
      'operator-tokens': {
        type: 'string', value: 'FILE', env: 'MONITOR_OPERATOR_TOKENS_FILE', defaultNote: 'none', description: "JSON: operator name → SHA-256 hex of its bearer token (GET /decisions answers every tenant's)",
      },
      tenants,
      'scale-target': { type: 'string', env: 'SCALE_TARGET', choices: ['kubernetes', 'none'], default: 'none', description: 'what decisions act on (none: only logged)' },
      'sink-scaler': { type: 'string', env: 'SINK_SCALER', choices: SINK_SCALERS, default: 'manager', description: "who scales the sinks (keda: their ScaledObjects, the manager leaves them alone)" },
      window: { type: 'string', value: 'S', env: 'MONITOR_WINDOW_SECONDS', default: '60', description: 'seconds of reports the rules look at' },
      cooldown: { type: 'string', value: 'S', env: 'MONITOR_COOLDOWN_SECONDS', default: '60', description: 'quiet seconds after a decision for a dataset' },
      'namespace-prefix': { type: 'string', value: 'P', env: 'NAMESPACE_PREFIX', default: 'mysimbdp', description: 'tenant namespaces are <P>-<dns-client>' },
      'decision-log': { type: 'string', value: 'FILE', env: 'DECISION_LOG', defaultNote: 'none', description: 'append every decision as a JSON line' },
    },
    exits: serverExits,
  },
  stats: {
    group: 'runtime',
    summary: 'per-tenant and platform figures from the ingestion log',
    flags: { tenants, client: { type: 'string', value: 'ID', defaultNote: 'every tenant', description: 'only this tenant' }, format },
    engines: true,
    exits: { 0: 'printed', 1: 'failed', ...usageExit },
  },
  gen: {
    group: 'runtime',
    summary: "realistic rows (optionally bad ones) for a tenant's schema, streamed to a file",
    flags: {
      client,
      rows: { type: 'string', value: 'N', env: 'GEN_ROWS', required: true, description: 'rows to write' },
      out: { type: 'string', value: 'FILE', env: 'GEN_OUT', required: true, description: 'file to write; .csv, .tsv or .jsonl' },
      'bad-ratio': { type: 'string', value: 'R', default: '0', description: 'share of bad rows, 0 to 1' },
      dataset: { type: 'string', value: 'NAME', defaultNote: "the tenant's first dataset", description: 'dataset of the tenant' },
      seed: { type: 'string', value: 'S', default: '1', description: 'random seed (same seed, same file)' },
      tenants,
      'progress-seconds': progressSeconds,
    },
    exits: { 0: 'written (a JSON summary on stdout)', 1: 'failed', ...usageExit },
  },
  dev: {
    group: 'runtime',
    summary: 'the platform on this machine against the local engines, until Ctrl-C (or once)',
    flags: {
      tenants,
      source,
      tokens: { type: 'string', value: 'FILE', env: 'API_TOKENS_FILE', defaultNote: 'a printed random token per tenant', description: "the upload API's tokens file" },
      'operator-tokens': { type: 'string', value: 'FILE', env: 'API_OPERATOR_TOKENS_FILE', defaultNote: 'a printed random token, saved in <source>/.operator-token', description: "the console's operator tokens file" },
      keys: { ...keys, defaultNote: '<source>/.keys' },
      'api-port': { type: 'string', value: 'N', env: 'API_PORT', default: String(DEFAULT_API_PORT), description: 'port of the upload API' },
      'monitor-port': { type: 'string', value: 'N', env: 'MONITOR_PORT', default: String(DEFAULT_MONITOR_PORT), description: 'port of the monitor' },
      'no-schedules': { type: 'boolean', description: "do not run batch on the agreements' schedules" },
      once: { type: 'boolean', description: 'provision, then batch and sink --until-idle for every tenant dataset, and exit' },
      'credentials-dir': credentialsDir,
    },
    env: { CASSANDRA_CONSOLE_ROLE: consoleRoleEnv },
    engines: true,
    exits: { 0: 'stopped (or, with --once, every worker succeeded)', 1: 'a worker failed', ...usageExit },
  },
} as const satisfies Readonly<Record<string, CommandSpec>>;

export type CommandName = keyof typeof COMMAND_SPECS;
export const COMMANDS = Object.keys(COMMAND_SPECS) as CommandName[];
