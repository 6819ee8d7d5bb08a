import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTenant, loadTenantsOrThrow } from '../../infra/tenant/load-tenants';
import type { Dataset } from '../../infra/tenant/types';
import { createCassandraClient } from '../../ingest/src/cassandra/cassandra-client';
import { provisionDataset } from '../../ingest/src/cassandra/provisioner';
import { writeGenerated } from '../../ingest/src/gen/write-generated';
import { createKafka } from '../../ingest/src/kafka/kafka-client';
import { stagingLayout } from '../../ingest/src/staging/staging-layout';
import * as crypto from 'node:crypto';
import { buildApiServer } from '../../ingest/src/api/api-server';
import { BearerTokens } from '../../ingest/src/api/bearer-tokens';
import { createLogger } from '../../ingest/src/log';
import { fileUpload } from '../ingest/api/multipart';
import { runCli } from '../ingest/helpers/run-cli';
import { seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../ingest/helpers/tenant-dirs';
import { ensureTopics } from '../ingest/helpers/topics';

// The staging disk full during a batch: a tmpfs of a few MiB (mounting needs root, which CI has),
// filled up while the batch writes its out/ and quarantine files. Nothing half-written is left,
// the file waits in .processing, and once there is room again the re-run ingests it exactly.

const id = `fault_disk_${uniqueSuffix()}`;
const mountPoint = tempDir('fault-disk-staging');
let mounted = false;
let dataset: Dataset;
let tenantsDir: string;
let cass: cassandra.Client;

beforeAll(async () => {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mountPoint]);
  mounted = true;
  tenantsDir = writeTenantDir(tempDir('fault-disk-tenants'), id, seedDataset('client_a', id));
  dataset = findTenant(loadTenantsOrThrow(tenantsDir), id).datasets[0]!;
  cass = createCassandraClient();
  await cass.connect();
  await provisionDataset(cass, { client: id }, dataset, { replicationFactor: 1, dataCenter: 'datacenter1' });
  await ensureTopics(createKafka(`fault-disk-${id}`), dataset);
});

afterAll(async () => {
  // each step on its own: a busy unmount must not keep the keyspace or the client alive
  const steps = [
    async () => { if (mounted) execFileSync('umount', ['--lazy', mountPoint]); },
    // set only once beforeAll got that far (mounting needs root)
    async () => { if ((dataset as Dataset | undefined) !== undefined) await cass.execute(`DROP KEYSPACE IF EXISTS "${dataset.keyspace}"`); },
    async () => { await (cass as cassandra.Client | undefined)?.shutdown(); },
  ];
  const failures: unknown[] = [];
  for (const step of steps) await step().catch((err: unknown) => failures.push(err));
  if (failures.length > 0) throw failures[0];
});

describe('the staging disk full during a batch', () => {
  it('leaves nothing half-written and the file for a retry, which ingests it exactly once there is room', async () => {
    const layout = stagingLayout(mountPoint, id, dataset);
    fs.mkdirSync(layout.inbox, { recursive: true });
    const gen = await writeGenerated(dataset, path.join(layout.inbox, 'full.csv'), { rows: 25_000, type: 'csv', badRatio: 0.01, seed: 3 });
    const size = fs.statSync(path.join(layout.inbox, 'full.csv')).size;
    // leave less room than the out/ file needs
    const filler = path.join(mountPoint, 'filler');
    const free = Number(execFileSync('df', ['--output=avail', '-B1', mountPoint], { encoding: 'utf8' }).trim().split('\n')[1]);
    fs.writeFileSync(filler, Buffer.alloc(Math.max(0, free - Math.floor(size / 3))));
    const env = { CLIENT_ID: id, SOURCE_PATH: mountPoint, TENANTS_DIR: tenantsDir };

    const full = await runCli(['batch'], env);
    expect(full.code).toBe(1);
    const line = full.logs.find((l) => l.msg === 'file' && l.file === 'full.csv');
    expect(line).toMatchObject({ outcome: 'retry', level: 'error' });
    expect(line?.error).toBe('ENOSPC: no space left on device, write');
    expect(fs.readdirSync(layout.processing)).toEqual(['full.csv']);
    const leftovers = [layout.out, layout.quarantine].flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []));
    expect(leftovers).toEqual([]);

    fs.rmSync(filler);
    const again = await runCli(['batch'], env);
    expect(again.code).toBe(0);
    expect(fs.readdirSync(layout.archive)).toEqual(['full.csv']);
    expect(fs.readFileSync(path.join(layout.quarantine, 'full.csv.rejected.jsonl'), 'utf8').trim().split('\n')).toHaveLength(gen.expectedRejected);
    expect((await runCli(['sink', '--client', id, '--until-idle'], env)).code).toBe(0);
    const rows = (await cass.execute(`SELECT count(*) FROM "${dataset.keyspace}"."${dataset.table}"`)).rows[0]!.get('count').toNumber();
    expect(rows).toBe(gen.expectedOk);
  }, 120_000);
});

describe('the staging disk full during an upload', () => {
  it('answers 507 with a JSON body and keeps nothing of the upload; with room again the same upload is stored', async () => {
    const tenant = findTenant(loadTenantsOrThrow(tenantsDir), id);
    const token = crypto.randomBytes(12).toString('hex');
    const app = await buildApiServer({
      tenants: [tenant], sourcePath: mountPoint, log: createLogger({}, { write: () => undefined }),
      tokens: new BearerTokens({ [id]: crypto.createHash('sha256').update(token).digest('hex') }),
      keyRing: () => { throw new Error('no encryption here'); },
    });
    try {
      const layout = stagingLayout(mountPoint, id, dataset);
      const content = `PROVINCECODE,DEVICEID,IFINDEX,FRAME,SLOT,PORT,ONUINDEX,ONUID,TIME,SPEEDIN,SPEEDOUT\n${'P1,D1,1,1,1,1,1,1,2021-01-01 00:00:00,1,1\n'.repeat(60_000)}`;
      const body = fileUpload('upload.csv', content);
      const filler = path.join(mountPoint, 'filler');
      const free = Number(execFileSync('df', ['--output=avail', '-B1', mountPoint], { encoding: 'utf8' }).trim().split('\n')[1]);
      fs.writeFileSync(filler, Buffer.alloc(Math.max(0, free - 256 * 1024)));
      const send = () => app.inject({ method: 'POST', url: `/upload-file/${id}`, headers: { ...body.headers, authorization: `Bearer ${token}` }, payload: body.payload });
      const full = await send();
      expect(full.statusCode).toBe(507);
      expect(full.json()).toEqual({ error: { code: 'insufficient_storage', message: 'the staging area is full: nothing of upload.csv was kept; retry later', filename: 'upload.csv' } });
      expect(fs.existsSync(path.join(layout.inbox, 'upload.csv'))).toBe(false);
      expect(fs.readdirSync(layout.upload)).toEqual([]);
      fs.rmSync(filler);
      expect((await send()).statusCode).toBe(201);
      expect(fs.readFileSync(path.join(layout.inbox, 'upload.csv'), 'utf8')).toBe(content);
    } finally {
      await app.close();
    }
  }, 120_000);
});
