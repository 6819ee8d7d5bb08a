import { ajvIssues, type ValidationIssue } from './issues';
import { parseResources, type RawResources } from './parse-resources';
import { clientIdProblem } from './rules/client-id';
import { tenantNameProblem } from './rules/dns-name';
import { parseCron, Schedule } from './rules/cron';
import { parseRetention } from './rules/retention';
import { parseTimeZone } from './rules/time-zone';
import { schemaValidators } from './schemas';
import type { Agreement, ConnectorSpec } from './types';


interface RawConnector {
  name: string; direction: 'sink' | 'source'; class: string; tasks_max?: number; dataset?: string;
  config?: Record<string, string | number | boolean>;
  plugins: { name: string; artifacts: ConnectorSpec['plugins'][number]['artifacts'] }[];
}

interface RawAgreement {
  client: string;
  data_retention_period_days: number | string;
  schedule: string;
  time_zone?: string;
  resources: RawResources;
  kafka?: { partitions?: number; producer_byte_rate?: number; consumer_byte_rate?: number };
  stream?: { report_interval_seconds?: number; min_rows_per_second?: number; max_avg_ingestion_ms?: number; min_replicas?: number; max_replicas?: number };
  connectors?: RawConnector[];
  encryption?: boolean;
}

/** Checks a cron expression at `path`, reporting the field that is wrong. */
export function scheduleIssues(file: string, path: string, schedule: unknown): ValidationIssue[] {
  if (typeof schedule !== 'string') return [];
  const result = parseCron(schedule);
  if (result.ok) return [];
  return [{ file, path, rule: result.deliberate ? 'cron-mistake' : 'cron', message: `must be a CronJob schedule (5 fields, a descriptor such as @hourly, or @every <duration>): ${result.message}`, value: schedule }];
}

/** Validates agreement.json once and turns it into a typed Agreement. */
export function parseAgreement(file: string, folder: string, json: unknown): { agreement?: Agreement; issues: ValidationIssue[] } {
  const validate = schemaValidators().agreement;
  const issues = validate(json) ? [] : ajvIssues(file, json, validate.errors);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { issues };
  const raw = json as RawAgreement;

  if (typeof raw.client === 'string') {
    const problem = clientIdProblem(raw.client);
    if (problem !== undefined) issues.push({ file, path: 'client', rule: 'client-id', message: problem, value: raw.client });
    else if (raw.client !== folder) issues.push({ file, path: 'client', rule: 'client-folder', message: `must equal the tenant folder name "${folder}"`, value: raw.client });
  }
  const retention = raw.data_retention_period_days;
  const parsedRetention = typeof retention === 'number' || typeof retention === 'string' ? parseRetention(retention) : undefined;
  if (parsedRetention !== undefined && !parsedRetention.ok) {
    issues.push({ file, path: 'data_retention_period_days', rule: 'retention', message: parsedRetention.message, value: retention });
  }
  issues.push(...scheduleIssues(file, 'schedule', raw.schedule));
  if (typeof raw.time_zone === 'string') {
    const zone = parseTimeZone(raw.time_zone);
    if (!zone.ok) issues.push({ file, path: 'time_zone', rule: 'time-zone', message: zone.message, value: raw.time_zone });
  }
  const resources = typeof raw.resources === 'object' && raw.resources !== null ? parseResources(file, 'resources', raw.resources) : undefined;
  issues.push(...(resources?.issues ?? []));
  const minReplicas = raw.stream?.min_replicas ?? 1;
  const maxReplicas = raw.stream?.max_replicas ?? 3;
  if (minReplicas > maxReplicas) {
    issues.push({ file, path: 'stream.min_replicas', rule: 'replica-range', message: `must not exceed stream.max_replicas (${maxReplicas})`, value: minReplicas });
  }
  const seen = new Set<string>();
  // Lists of the wrong type were reported by the JSON Schema; they are skipped here.
  const list = <T>(value: readonly T[] | undefined): readonly T[] => (Array.isArray(value) ? value : []);
  list(raw.connectors).forEach((c, i) => {
    if (typeof c?.name === 'string' && seen.has(c.name)) {
      issues.push({ file, path: `connectors[${i}].name`, rule: 'unique-connector', message: 'is used by another connector of this tenant', value: c.name });
    }
    seen.add(c?.name);
    const names: [string, unknown][] = [[`connectors[${i}].name`, c?.name], ...list(c?.plugins).map((p, j): [string, unknown] => [`connectors[${i}].plugins[${j}].name`, p?.name])];
    for (const [path, name] of names) {
      const problem = typeof name === 'string' ? tenantNameProblem(name) : undefined;
      if (problem !== undefined) issues.push({ file, path, rule: 'dns-label', message: problem, value: name });
    }
    list(c?.plugins).forEach((p, j) => list(p?.artifacts).forEach((a, k) => {
      const path = `connectors[${i}].plugins[${j}].artifacts[${k}]`;
      if (a?.type === 'maven' && (a.group === undefined || a.artifact === undefined || a.version === undefined)) {
        issues.push({ file, path, rule: 'maven-artifact', message: 'a maven artifact needs group, artifact and version', value: a });
      } else if (a?.type !== undefined && a.type !== 'maven' && a.url === undefined) {
        issues.push({ file, path, rule: 'artifact-url', message: `a ${a.type} artifact needs a url`, value: a });
      }
    }));
  });
  if (issues.length > 0 || resources?.resources === undefined) return { issues };

  const { days: retentionDays, ms: retentionMs } = parsedRetention as Extract<ReturnType<typeof parseRetention>, { ok: true }>;
  return {
    issues,
    agreement: {
      file,
      client: raw.client,
      retentionDays,
      retentionMs,
      // validated above
      schedule: Schedule.parse(raw.schedule, raw.time_zone) as Schedule,
      resources: resources.resources,
      kafka: {
        partitions: raw.kafka?.partitions ?? 3,
        producerByteRate: raw.kafka?.producer_byte_rate ?? 10_485_760,
        consumerByteRate: raw.kafka?.consumer_byte_rate ?? 20_971_520,
      },
      stream: {
        reportIntervalSeconds: raw.stream?.report_interval_seconds ?? 10,
        minRowsPerSecond: raw.stream?.min_rows_per_second ?? 0,
        maxAvgIngestionMs: raw.stream?.max_avg_ingestion_ms ?? 60_000,
        minReplicas,
        maxReplicas,
      },
      connectors: (raw.connectors ?? []).map((c) => ({
        name: c.name,
        direction: c.direction,
        className: c.class,
        tasksMax: c.tasks_max ?? 1,
        config: c.config ?? {},
        plugins: c.plugins,
        ...(c.dataset !== undefined ? { dataset: c.dataset } : {}),
      })),
      encryption: raw.encryption ?? false,
    },
  };
}
