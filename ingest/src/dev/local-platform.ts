import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { CASSANDRA_CONSOLE_ROLE, MONITOR_API_OPERATOR } from '../../../infra/constructs/common/naming';
import { credentialsFileName, parseCassandraCredentials } from '../../../infra/credentials';
import type { Tenant } from '../../../infra/tenant/types';
import { buildApiServer } from '../api/api-server';
import { BearerTokens, loadBearerTokens } from '../api/bearer-tokens';
import { LazyIngestionLog } from '../api/ingestion-log-access';
import { MonitorDecisions } from '../api/monitor-decisions';
import { connectCassandra, createCassandraClient } from '../cassandra/cassandra-client';
import { loadKeyRing } from '../crypto/key-ring';
import { EngineError } from '../../../infra/errors';
import { credentialsEnv, readCredentialsFile } from '../credentials/credentials-file';
import type { Logger } from '../log';
import { DecisionLog } from '../manager/decision-log';
import { provisionLogFields, provisionPlatform } from '../provision/provision-platform';
import { ProcessPool } from '../manager/process-pool';
import { StreamManager } from '../manager/stream-manager';
import { buildMonitorServer } from '../monitor/monitor-server';
import { retry } from '../retry';
import { CronScheduler } from '../scheduler/cron-scheduler';
import { LOGIN_ENV, type EngineSettings } from '../settings';

export interface LocalPlatformOptions {
  readonly tenants: readonly Tenant[];
  readonly tenantsDir: string;
  readonly sourcePath: string;
  readonly keysDir: string;
  /** Tokens file. @default none: a random token per tenant is made and printed */
  readonly tokensFile?: string;
  /** Operator tokens file (the console's operator view). @default none: a random operator token is made, printed and saved in `<source>/.operator-token` */
  readonly operatorTokensFile?: string;
  readonly apiPort: number;
  readonly monitorPort: number;
  readonly engines: EngineSettings;
  readonly logger: Logger;
  /** Where messages for the person at the terminal go. @default stdout */
  readonly print?: (line: string) => void;
  /** Where each tenant's credentials file is made by provisioning and read for its workers, and the console role's for the API. */
  readonly credentialsDir: string;
  /** The console's Cassandra role, the API's login. @default CASSANDRA_CONSOLE_ROLE */
  readonly consoleRole?: string;
  /** Run the batch schedules. @default true */
  readonly schedules?: boolean;
}

/** Variables that carry a login: a worker gets its tenant's, never one inherited from this process. */
const CREDENTIAL_ENV: readonly string[] = [...LOGIN_ENV, 'KAFKA_SASL_MECHANISM', 'CREDENTIALS_FILE', 'MONITOR_TOKEN'];

/** A random bearer token per name: the tokens to hand out, and their digests to check them with. */
function randomTokens(names: readonly string[], source: string): { secrets: ReadonlyMap<string, string>; tokens: BearerTokens } {
  const secrets = new Map(names.map((name) => [name, crypto.randomBytes(18).toString('base64url')]));
  const digests = Object.fromEntries([...secrets].map(([client, token]) => [client, crypto.createHash('sha256').update(token).digest('hex')]));
  return { secrets, tokens: new BearerTokens(digests, source) };
}

/** Name the dev operator token has in the console. */
export const DEV_OPERATOR = 'operator';

/** The CLI this process runs, to start workers as child processes of the same code. */
const CLI = path.join(__dirname, '..', '..', 'bin', 'mysimbdp.cjs');

/**
 * The whole platform on one machine: engines check, provisioning (keyspaces, tables, topics), the
 * upload API and the monitor in this process, a sink per tenant dataset and the stream instances
 * (a process pool the monitor's manager scales within each agreement), and the batch schedules.
 */
export class LocalPlatform {
  #api: FastifyInstance | undefined;
  #ingestionLog: LazyIngestionLog | undefined;
  #monitor: FastifyInstance | undefined;
  #streams: ProcessPool | undefined;
  #sinks: ProcessPool | undefined;
  #scheduler: CronScheduler | undefined;
  /** Worker processes started by `#runChild` that have not exited yet; `stop()` waits for them. */
  readonly #children = new Set<Promise<number>>();

  constructor(private readonly options: LocalPlatformOptions) {}

  async start(): Promise<void> {
    const { tenants, logger } = this.options;
    const print = this.#print;
    await this.#checkAndProvision();

    const tokens = this.options.tokensFile === undefined ? this.#devTokens(print) : loadBearerTokens(this.options.tokensFile);
    this.#prepareKeys(print);
    const keysDir = this.options.keysDir;
    const operatorTokens = this.options.operatorTokensFile === undefined ? this.#devOperatorToken(print) : loadBearerTokens(this.options.operatorTokensFile);
    const decisionLog = path.join(this.options.sourcePath, 'decisions.jsonl');
    // the API reads the monitor's decisions as on a cluster: over HTTP, with an operator token of its own,
    // which the monitor accepts beside the console's operator tokens
    const apiAtMonitor = randomTokens([MONITOR_API_OPERATOR], 'the API at the monitor');
    const monitorOperators = operatorTokens.concat(apiAtMonitor.tokens, 'monitor operator tokens');
    // the API reads the ingestion log as the console role provisioning made, not as the platform
    this.#ingestionLog = new LazyIngestionLog({ ...this.options.engines, cassandraAuth: this.#consoleLogin() }, tenants);
    const env = (tenant: Tenant, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => this.#childEnv(tenant, extra);
    // each tenant's streams report with a token of their own, as on a cluster
    const reports = randomTokens(tenants.map((t) => t.client), 'report tokens');
    let monitorUrl = ''; // known once the monitor listens; streams start after that
    this.#streams = new ProcessPool({
      logger: logger.child({ component: 'manager', role: 'stream' }),
      spec: (tenant, dataset) => ({ command: process.execPath, args: [CLI, 'stream'], env: env(tenant, { CLIENT_ID: tenant.client, DATASET: dataset.name, MONITOR_URL: monitorUrl, MONITOR_TOKEN: reports.secrets.get(tenant.client) }) }),
    });
    this.#sinks = new ProcessPool({
      logger: logger.child({ component: 'manager', role: 'sink' }),
      spec: (tenant, dataset) => ({ command: process.execPath, args: [CLI, 'sink', '--client', tenant.client, '--dataset', dataset.name], env: env(tenant, {}) }),
    });
    const manager = new StreamManager(this.#streams, new DecisionLog(decisionLog), logger.child({ component: 'manager' }));
    this.#monitor = await buildMonitorServer({ tenants, manager, tokens: reports.tokens, operatorTokens: monitorOperators, log: logger.child({ component: 'monitor' }) });
    const monitorAddress = await this.#monitor.listen({ port: this.options.monitorPort, host: '127.0.0.1' });
    monitorUrl = `${monitorAddress}/reports`;
    this.#api = await buildApiServer({
      tenants,
      tokens,
      operatorTokens,
      sourcePath: this.options.sourcePath,
      keyRing: (client) => loadKeyRing(keysDir, client),
      ingestionLog: this.#ingestionLog,
      decisions: new MonitorDecisions(monitorAddress, apiAtMonitor.secrets.get(MONITOR_API_OPERATOR) as string),
      log: logger.child({ component: 'api' }),
    });
    const apiAddress = await this.#api.listen({ port: this.options.apiPort, host: '127.0.0.1' });

    this.#scheduler = new CronScheduler(logger.child({ component: 'scheduler' }));
    for (const tenant of tenants) {
      for (const dataset of tenant.datasets) {
        await this.#sinks.scale(tenant, dataset, 1);
        await this.#streams.scale(tenant, dataset, tenant.agreement.stream.minReplicas);
        if (this.options.schedules !== false) {
          const job = `${tenant.client}/${dataset.name}`;
          this.#scheduler.add(job, dataset.schedule, () => this.#runChild(tenant, ['batch', '--client', tenant.client, '--dataset', dataset.name], job).then(() => undefined));
        }
      }
    }
    print(`api      ${apiAddress}  (console at /, POST /upload-file/{tenant}, GET /tenant/{tenant}, /openapi.json)`);
    print(`monitor  ${monitorAddress}  (POST /reports, GET /reports/{tenant}, GET /decisions)`);
    print(`staging  ${path.resolve(this.options.sourcePath)}`);
    for (const [job, at] of Object.entries(this.#scheduler.next())) print(`batch    ${job} next at ${at ?? 'never'}`);
    print('Ctrl-C stops everything.');
  }

  /**
   * The batch path once, for every tenant dataset: provision, ingest what is in each inbox
   * (`batch`), drain the topic into Cassandra (`sink --until-idle`). Returns the number of
   * datasets whose batch or sink failed.
   */
  async runOnce(): Promise<number> {
    await this.#checkAndProvision();
    let failed = 0;
    for (const tenant of this.options.tenants) {
      for (const dataset of tenant.datasets) {
        const job = `${tenant.client}/${dataset.name}`;
        const batch = await this.#runChild(tenant, ['batch', '--client', tenant.client, '--dataset', dataset.name], job);
        const sink = await this.#runChild(tenant, ['sink', '--client', tenant.client, '--dataset', dataset.name, '--until-idle'], job);
        this.#print(`${batch === 0 && sink === 0 ? 'done  ' : 'FAILED'}   ${job}: batch exit ${batch}, sink exit ${sink}`);
        if (batch !== 0 || sink !== 0) failed++;
      }
    }
    return failed;
  }

  async stop(): Promise<void> {
    await this.#scheduler?.stop();
    await Promise.all(this.#children);
    await Promise.all([this.#streams?.close(), this.#sinks?.close()]);
    await this.#api?.close();
    await this.#ingestionLog?.close();
    await this.#monitor?.close();
  }

  /**
   * The engines answer (a clear error naming the fix otherwise); keyspaces, tables, topics, and each
   * tenant's Cassandra role and Kafka user exist, with its credentials in the credentials folder.
   */
  async #checkAndProvision(): Promise<void> {
    const { engines, tenants, logger } = this.options;
    const cassandra = createCassandraClient(engines);
    try {
      await retry(() => connectCassandra(cassandra, engines), { attempts: 3, baseDelayMs: 500 }).catch((err: unknown) => {
        throw new EngineError(`Cassandra at ${engines.cassandraContactPoints.join(',')} does not answer; start the local engines with: npm run engines:up`, { cause: err });
      });
    } finally {
      await cassandra.shutdown().catch(() => undefined);
    }
    const refused = await provisionPlatform({
      tenants,
      settings: engines,
      replicationFactor: 1,
      credentialsDir: this.options.credentialsDir,
      consoleRole: this.#consoleRole,
      kafka: true,
      report: (e) => {
        if (e.kind === 'refused') throw e.error;
        logger.info(`${e.kind} provisioned`, provisionLogFields(e));
      },
    });
    if (refused > 0) throw new EngineError(`${refused} dataset change(s) refused`);
  }

  get #consoleRole(): string {
    return this.options.consoleRole ?? CASSANDRA_CONSOLE_ROLE;
  }

  /** The console role's login, from the file provisioning made in the credentials folder. */
  #consoleLogin(): { username: string; password: string } {
    const file = path.join(this.options.credentialsDir, credentialsFileName(this.#consoleRole));
    const login = readCredentialsFile(file, parseCassandraCredentials);
    if (login === undefined) throw new EngineError(`the console role has no credentials at ${file}: provisioning makes them`);
    return { username: login.cassandra.username, password: login.cassandra.password };
  }

  /** A random token per tenant, printed once; only digests are kept. */
  #devTokens(print: (line: string) => void): BearerTokens {
    const { tokens, secrets } = randomTokens(this.options.tenants.map((t) => t.client), 'dev tokens');
    for (const [client, token] of secrets) print(`token    ${client}: ${token}`);
    return tokens;
  }

  /** A random operator token, printed once and saved (mode 0600) beside the staging area; only its digest is kept. */
  #devOperatorToken(print: (line: string) => void): BearerTokens {
    const token = crypto.randomBytes(18).toString('base64url');
    const file = path.join(this.options.sourcePath, '.operator-token');
    fs.mkdirSync(this.options.sourcePath, { recursive: true });
    fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
    print(`operator ${DEV_OPERATOR}: ${token}  (saved in ${file})`);
    return new BearerTokens({ [DEV_OPERATOR]: crypto.createHash('sha256').update(token).digest('hex') }, 'dev operator token');
  }

  /** Encrypting tenants without keys get a fresh dev key, so uploads work out of the box. */
  #prepareKeys(print: (line: string) => void): void {
    for (const tenant of this.options.tenants.filter((t) => t.agreement.encryption)) {
      const dir = path.join(this.options.keysDir, tenant.client);
      if (fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith('.key'))) continue;
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(path.join(dir, 'dev1.key'), crypto.randomBytes(32), { mode: 0o600 });
      print(`key      ${tenant.client}: new dev key dev1 in ${dir}`);
    }
  }

  get #print(): (line: string) => void {
    return this.options.print ?? ((line: string) => void process.stdout.write(`${line}\n`));
  }

  /**
   * Environment of a tenant's worker processes: staging and tenants of this platform, and the engines
   * with the tenant's own credentials (as its pods get them from its Secrets), never the platform's.
   */
  #childEnv(tenant: Tenant, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const file = path.join(this.options.credentialsDir, credentialsFileName(tenant.client));
    const credentials = readCredentialsFile(file);
    if (credentials === undefined) throw new EngineError(`tenant ${tenant.client} has no credentials at ${file}: provisioning makes them`);
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !CREDENTIAL_ENV.includes(name)));
    return {
      ...inherited,
      TENANTS_DIR: this.options.tenantsDir,
      SOURCE_PATH: this.options.sourcePath,
      ENCRYPTION_KEYS_DIR: this.options.keysDir,
      ...credentialsEnv(credentials),
      // every worker on a free port (reported in its first log line): several sinks and streams share this machine
      METRICS_PORT: '0',
      ...extra,
    };
  }

  /** Runs one CLI command as a child process; resolves with its exit code (-1 when it could not start). */
  #runChild(tenant: Tenant, args: readonly string[], job: string): Promise<number> {
    const run = new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: this.#childEnv(tenant, {}), stdio: ['ignore', 'inherit', 'inherit'] });
      child.once('exit', (code) => {
        this.options.logger.info(`${args[0]} finished`, { job, exit_code: code });
        resolve(code ?? -1);
      });
      child.once('error', (err) => {
        this.options.logger.error(`${args[0]} failed to start`, { job, error: err.message });
        resolve(-1);
      });
    });
    this.#children.add(run);
    return run.finally(() => this.#children.delete(run));
  }
}
