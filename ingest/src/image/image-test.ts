import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tenantKafkaAccess } from '../../../infra/constructs/common/kafka-access';
import { CREDENTIALS_MOUNT, STAGING_MOUNT, TENANTS_MOUNT } from '../../../infra/constructs/common/naming';
import { RUNTIME_UID } from '../../../infra/constructs/common/secure-pod';
import { credentialsFileName } from '../../../infra/credentials';
import { EngineError } from '../../../infra/errors';
import { findDataset, findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import type { Dataset } from '../../../infra/tenant/types';
import { createCassandraClient } from '../cassandra/cassandra-client';
import { ensureConsoleCredentials, ensureTenantCredentials } from '../credentials/tenant-credentials';
import { describeOutcome, engineLayout, ensureEngines, stopEngines, takeLease, type EngineName } from '../engines';
import { applyKafkaUsers } from '../engines/kafka-users';
import { platformCredentialsFile, readPlatformCredentials } from '../engines/platform-credentials';
import { writeGenerated } from '../gen/write-generated';
import { createKafka } from '../kafka/kafka-client';
import { declareTopics, withAdmin } from '../kafka/topics';
import { engineSettings } from '../settings';
import { stagingLayout } from '../staging/staging-layout';
import { cgroupVersion, readPeak, removeCgroup } from './cgroup-peak';
import type { ImageLayout } from './image-build';
import { imagePaths, runtimeImage } from './image-spec';
import { podman, runArgs, type Mount, type Podman } from './podman';

// `npm run image:test`: the built image run the way the manifests run it, against the local engines.
// One container per step, as a pod each: provision (the provision Job, as the platform), batch (the
// CronJob) on a generated client_a file with bad rows, sink --until-idle (the sink Deployment), all
// as uid 10001 with a read-only root, no capabilities and client_a's memory limit. The tenant is a
// copy of client_a under a fresh client id and keyspace, so every run counts exactly.

/** Where the platform's login is mounted for the provision container. */
const PLATFORM_MOUNT = '/etc/mysimbdp/platform';

export interface ImageTestOptions {
  readonly layout: ImageLayout;
  readonly progress: (line: string) => void;
  /** Rows of the generated file. */
  readonly rows: number;
  /** Share of bad rows in it. */
  readonly badRatio: number;
}

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface ContainerRun {
  readonly step: string;
  readonly code: number;
  /** Peak memory of the container's cgroup (with its conmon), bytes. */
  readonly peakBytes: number;
  readonly elapsedMs: number;
  readonly lines: readonly string[];
}

export interface ImageTestOutcome {
  readonly image: string;
  readonly client: string;
  readonly memoryLimitBytes: number;
  readonly runs: readonly ContainerRun[];
  readonly checks: readonly Check[];
}

const MiB = 2 ** 20;
export const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;

export async function testImage(o: ImageTestOptions): Promise<ImageTestOutcome> {
  const p = podman(o.layout.containersConf);
  const image = runtimeImage(imagePaths());
  if ((await p.stream(['image', 'exists', image], () => undefined)) !== 0) throw new EngineError(`${image} is not in podman's storage: run \`npm run image:build\` first`);
  const engines = engineLayout();
  const lease = takeLease(engines.runDir);
  const outcomes = await ensureEngines({ cacheDir: engines.cacheDir, progress: o.progress });
  for (const outcome of outcomes) o.progress(describeOutcome(outcome));
  try {
    return await testWithEngines(o, p, image, engines.cacheDir);
  } finally {
    const started: EngineName[] = outcomes.filter((x) => x.state === 'started').map((x) => x.name);
    const others = lease.release();
    if (started.length > 0 && others === 0) for (const s of await stopEngines(started, engines.cacheDir)) o.progress(`${s.name} ${s.state}`);
  }
}

async function testWithEngines(o: ImageTestOptions, p: Podman, image: string, enginesCache: string): Promise<ImageTestOutcome> {
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail: string): void => {
    checks.push({ name, ok, detail });
    o.progress(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
  };
  const layout = engineLayout(enginesCache);
  const platform = readPlatformCredentials(layout);
  if (platform === undefined) throw new EngineError(`no platform credentials at ${platformCredentialsFile(layout)} after the engines started`);
  const settings = engineSettings({}, { CREDENTIALS_FILE: platformCredentialsFile(layout) });

  // client_a's files under a fresh client id and keyspace
  const suffix = randomBytes(4).toString('hex');
  const client = `client_a_img${suffix}`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mysimbdp-image-test-'));
  const tenantsDir = path.join(work, 'tenants');
  const seedDir = path.join(imagePaths().repoRoot, 'tenants', 'client_a');
  const seed = (name: string): Record<string, unknown> => {
    const json = JSON.parse(fs.readFileSync(path.join(seedDir, name), 'utf8')) as Record<string, unknown>;
    delete json.$schema;
    return json;
  };
  fs.mkdirSync(path.join(tenantsDir, client), { recursive: true });
  fs.writeFileSync(path.join(tenantsDir, client, 'agreement.json'), JSON.stringify({ ...seed('agreement.json'), client }, null, 2));
  fs.writeFileSync(path.join(tenantsDir, client, 'dataset.json'), JSON.stringify({ ...seed('dataset.json'), key_space: `img_${suffix}` }, null, 2));
  const tenant = findTenant(loadTenantsOrThrow(tenantsDir), client);
  const dataset = findDataset(tenant);
  const memoryLimitBytes = Number(dataset.resources.limits.memory.nanos / 1_000_000_000n);

  // the tenant's and the console role's credentials (Secrets in a cluster, mounted read-only into the
  // provision Job) and the platform's login, readable by the container's uid only; a console role of
  // this run's own, so the shared one's password stays as it is
  const credentialsDir = path.join(work, 'credentials');
  const { credentials } = ensureTenantCredentials(credentialsDir, tenant, settings);
  const consoleRole = `console_img${suffix}`;
  ensureConsoleCredentials(credentialsDir, consoleRole, settings);
  const tenantCredentials = path.join(credentialsDir, credentialsFileName(client));
  const platformDir = path.join(work, 'platform');
  fs.mkdirSync(platformDir);
  fs.copyFileSync(platformCredentialsFile(layout), path.join(platformDir, 'platform.json'));

  const staging = stagingLayout(path.join(work, 'staging'), client, dataset);
  const file = path.join(staging.inbox, 'speed-image-test.csv');
  fs.mkdirSync(staging.inbox, { recursive: true });
  const gen = await writeGenerated(dataset, file, { rows: o.rows, type: 'csv', badRatio: o.badRatio, seed: 1 });
  o.progress(`tenant ${client} (keyspace ${dataset.keyspace}), ${path.basename(file)}: ${gen.rows} rows, ${gen.expectedRejected} bad, ${gen.expectedDeduplicated} duplicates (${mib(fs.statSync(file).size)})`);
  for (const dir of [credentialsDir, platformDir, staging.root]) chownTree(dir, RUNTIME_UID);

  const runs: ContainerRun[] = [];
  const tenantMount: Mount = { host: tenantsDir, container: TENANTS_MOUNT, readOnly: true };
  const tenantEnv = { CLIENT_ID: client, SOURCE_PATH: STAGING_MOUNT, TENANTS_DIR: TENANTS_MOUNT, CREDENTIALS_FILE: `${CREDENTIALS_MOUNT}/${credentialsFileName(client)}` };
  const tenantCredentialsMount: Mount = { host: tenantCredentials, container: tenantEnv.CREDENTIALS_FILE, readOnly: true };
  const run = async (step: string, args: readonly string[], mounts: readonly Mount[], env: Readonly<Record<string, string>>): Promise<ContainerRun> => {
    const cgroupParent = `/mysimbdp-image-test-${suffix}-${step}`;
    const started = Date.now();
    const lines: string[] = [];
    o.progress(`${step}: podman run … ${image} ${args.join(' ')}`);
    const code = await p.stream(runArgs({ image, args, uid: RUNTIME_UID, memoryBytes: memoryLimitBytes, cgroupParent, mounts, env }), (line) => {
      lines.push(line);
      if (!line.startsWith('{')) o.progress(`  ${line}`);
    });
    const version = cgroupVersion();
    const peakBytes = readPeak(cgroupParent, version);
    removeCgroup(cgroupParent, version);
    const r = { step, code, peakBytes, elapsedMs: Date.now() - started, lines };
    runs.push(r);
    o.progress(`${step}: exit ${code} in ${((Date.now() - started) / 1000).toFixed(1)} s, peak memory ${mib(peakBytes)} of ${mib(memoryLimitBytes)}`);
    return r;
  };
  const exits = (r: ContainerRun, expected: number): void => check(`${r.step} exits ${expected}`, r.code === expected, `exit ${r.code}${r.code === expected ? '' : `: ${r.lines.slice(-5).join(' | ')}`}`);
  const withinLimit = (r: ContainerRun): void => check(`${r.step} peak memory below the limit`, r.peakBytes < memoryLimitBytes, `${mib(r.peakBytes)} < ${mib(memoryLimitBytes)}`);

  const cass = createCassandraClient(settings);
  try {
    const user = (await p.output(['image', 'inspect', '--format', '{{.Config.User}}', image])).trim();
    check('image user', user === `${RUNTIME_UID}:${RUNTIME_UID}`, `USER ${user}`);
    exits(await run('help', ['--help'], [], {}), 0);
    exits(await run('bad-flag', ['batch', '--no-such-flag'], [], {}), 2);

    // the provision Job: as the platform, with the tenant's credentials read-only, Kafka left to Strimzi
    const provision = await run(
      'provision',
      ['provision', '--tenants', TENANTS_MOUNT, '--client', client, '--credentials-dir', CREDENTIALS_MOUNT, '--no-kafka'],
      [tenantMount, { host: credentialsDir, container: CREDENTIALS_MOUNT, readOnly: true }, { host: platformDir, container: PLATFORM_MOUNT, readOnly: true }],
      { CREDENTIALS_FILE: `${PLATFORM_MOUNT}/platform.json`, CASSANDRA_CONSOLE_ROLE: consoleRole },
    );
    exits(provision, 0);
    withinLimit(provision);
    // Strimzi's part, by the local stand-in on the host: the tenant's topics and its SCRAM user
    await withAdmin(createKafka('mysimbdp-image-test', settings), (admin) => declareTopics(admin, tenant, dataset));
    await applyKafkaUsers([{ access: tenantKafkaAccess(tenant), password: credentials.kafka.password }], platform, enginesCache);

    const batch = await run('batch', ['batch'], [tenantMount, tenantCredentialsMount, { host: staging.root, container: `${STAGING_MOUNT}/${client}` }], tenantEnv);
    exits(batch, 0);
    withinLimit(batch);
    const fileLine = batch.lines.flatMap((l) => (l.startsWith('{') ? [JSON.parse(l) as Record<string, unknown>] : [])).find((l) => l.msg === 'file');
    const expected = `rows_ok ${gen.expectedOk}, rows_rejected ${gen.expectedRejected}, rows_deduplicated ${gen.expectedDeduplicated}`;
    const got = `rows_ok ${String(fileLine?.rows_ok)}, rows_rejected ${String(fileLine?.rows_rejected)}, rows_deduplicated ${String(fileLine?.rows_deduplicated)}`;
    check('batch file log line', got === expected, got);
    const quarantined = countLines(path.join(staging.quarantine, `${path.basename(file)}.rejected.jsonl`));
    check('rejected rows in quarantine', quarantined === gen.expectedRejected, `${quarantined} lines, ${gen.expectedRejected} expected`);

    const sink = await run('sink', ['sink', '--client', client, '--until-idle'], [tenantMount, tenantCredentialsMount], tenantEnv);
    exits(sink, 0);
    withinLimit(sink);
    const rows = await countRows(cass, dataset);
    check('rows in Cassandra', rows === gen.expectedOk, `${rows} in ${dataset.keyspace}.${dataset.table}, ${gen.expectedOk} expected`);
  } finally {
    await cass.execute(`DROP KEYSPACE IF EXISTS "${dataset.keyspace}"`).catch(() => undefined);
    await cass.shutdown().catch(() => undefined);
    await withAdmin(createKafka('mysimbdp-image-test', settings), (admin) => admin.deleteTopics({ topics: Object.values(dataset.topics) })).catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }
  return { image, client, memoryLimitBytes, runs, checks };
}

/** Rows of the dataset's table, read page by page (a COUNT(*) of a large table can time out on one node). */
async function countRows(cass: ReturnType<typeof createCassandraClient>, dataset: Dataset): Promise<number> {
  const key = dataset.partitionKey.map((c) => `"${c}"`).join(', ');
  let n = 0;
  for await (const _row of await cass.execute(`SELECT token(${key}) FROM "${dataset.keyspace}"."${dataset.table}"`, [], { fetchSize: 5000 })) n++;
  return n;
}

function countLines(file: string): number {
  if (!fs.existsSync(file)) return 0;
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').length;
}

/** Gives a folder and everything in it to `uid` (the host is root here: podman runs rootful). */
function chownTree(dir: string, uid: number): void {
  fs.chownSync(dir, uid, uid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, uid);
    else fs.chownSync(full, uid, uid);
  }
}
