import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type * as cassandra from 'cassandra-driver';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTenant, loadTenantsOrThrow } from '../../infra/tenant/load-tenants';
import type { Dataset } from '../../infra/tenant/types';
import { createCassandraClient } from '../../ingest/src/cassandra/cassandra-client';
import { provisionDataset } from '../../ingest/src/cassandra/provisioner';
import { createKafka } from '../../ingest/src/kafka/kafka-client';
import { groupProgress } from '../../ingest/src/sink/kafka-sink';
import { stagingLayout } from '../../ingest/src/staging/staging-layout';
import { speedRows } from '../ingest/helpers/produce-records';
import { startCli } from '../ingest/helpers/run-cli';
import { seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../ingest/helpers/tenant-dirs';
import { ensureTopics } from '../ingest/helpers/topics';
import { supervise } from './supervisor';

// Two tenants uploading many files at once through the real upload API, each ingested by its own
// stream and sink: every file exactly once, every row once, and no tenant sees another's files.

const FILES = 8;
const ROWS = 2_500;
const BAD = 10;
const HEADER = 'PROVINCECODE,DEVICEID,IFINDEX,FRAME,SLOT,PORT,ONUINDEX,ONUID,TIME,SPEEDIN,SPEEDOUT';
const suffix = uniqueSuffix();
const clients = [`fault_ta_${suffix}`, `fault_tb_${suffix}`] as const;
const tokens = Object.fromEntries(clients.map((c) => [c, crypto.randomBytes(18).toString('base64url')]));
const tenantsDir = tempDir('fault-tenants');
const staging = tempDir('fault-tenants-staging');
const datasets = new Map<string, Dataset>();
let kafka: Kafka;
let admin: Admin;
let cass: cassandra.Client;

/** File `n` of a tenant: rows with keys of its own (no two files share a key), plus bad rows. */
function csv(n: number): string {
  const lines = [HEADER];
  let i = 0;
  for (const r of speedRows(ROWS * FILES)) if (i++ % FILES === n) lines.push(Object.values(r).join(','));
  for (let b = 0; b < BAD; b++) lines.push(`PX,DX,not-a-number,1,1,1,1,${b},t,1,1`);
  return `${lines.join('\n')}\n`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  cass = createCassandraClient();
  await cass.connect();
  kafka = createKafka(`fault-tenants-${suffix}`);
  admin = kafka.admin();
  await admin.connect();
  for (const client of clients) {
    writeTenantDir(tenantsDir, client, seedDataset('client_a', client));
    const dataset = findTenant(loadTenantsOrThrow(tenantsDir), client).datasets[0]!;
    datasets.set(client, dataset);
    await provisionDataset(cass, { client }, dataset, { replicationFactor: 1, dataCenter: 'datacenter1' });
    await ensureTopics(kafka, dataset);
  }
});

afterAll(async () => {
  for (const d of datasets.values()) await cass.execute(`DROP KEYSPACE IF EXISTS "${d.keyspace}"`);
  await cass.shutdown();
  await admin.disconnect();
});

describe('two tenants uploading and ingesting many files at once', () => {
  it('every file exactly once, every row once, and no tenant sees another\'s files', async () => {
    const tokensFile = path.join(tempDir('fault-tenants-tokens'), 'tokens.json');
    fs.writeFileSync(tokensFile, JSON.stringify(Object.fromEntries(clients.map((c) => [c, crypto.createHash('sha256').update(tokens[c]!).digest('hex')]))));
    const port = await freePort();
    const env = { SOURCE_PATH: staging, TENANTS_DIR: tenantsDir, STREAM_RESCAN_SECONDS: '1' };
    const api = startCli(['api', '--port', String(port), '--host', '127.0.0.1', '--tokens', tokensFile], env);
    const workers = clients.flatMap((client) => [supervise(['stream', '--client', client, '--no-messages'], env), supervise(['sink', '--client', client], env)]);
    try {
      const base = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 100 && (await fetch(`${base}/healthz`).then((r) => r.status).catch(() => 0)) !== 200; i++) await new Promise((r) => setTimeout(r, 200));
      const upload = async (client: string, n: number): Promise<number> => {
        const form = new FormData();
        form.append('file', new Blob([csv(n)]), `${client}-${n}.csv`);
        return (await fetch(`${base}/upload-file/${client}`, { method: 'POST', headers: { authorization: `Bearer ${tokens[client]}` }, body: form })).status;
      };
      const statuses = await Promise.all(clients.flatMap((client) => Array.from({ length: FILES }, (_, n) => upload(client, n))));
      expect(statuses.filter((s) => s !== 201)).toEqual([]);

      for (const client of clients) {
        const layout = stagingLayout(staging, client, datasets.get(client)!);
        const deadline = Date.now() + 300_000;
        while ((fs.existsSync(layout.archive) ? fs.readdirSync(layout.archive).length : 0) < FILES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
        const dataset = datasets.get(client)!;
        while (!(await groupProgress(admin, `${client}.sink.${dataset.name}`, dataset.topics.main)).caughtUp && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
      }

      for (const client of clients) {
        const dataset = datasets.get(client)!;
        const layout = stagingLayout(staging, client, dataset);
        const names = Array.from({ length: FILES }, (_, n) => `${client}-${n}.csv`).sort();
        expect(fs.readdirSync(layout.archive).sort()).toEqual(names);
        expect(fs.readdirSync(layout.processing)).toEqual([]);
        const rows = (await cass.execute(`SELECT count(*) FROM "${dataset.keyspace}"."${dataset.table}"`)).rows[0]!.get('count').toNumber();
        expect(rows).toBe(ROWS * FILES);
        for (const name of names) expect(fs.readFileSync(path.join(layout.quarantine, `${name}.rejected.jsonl`), 'utf8').trim().split('\n')).toHaveLength(BAD);
        // the API lists only the tenant's own files, and refuses its token for the other tenant
        const listed = (await (await fetch(`${base}/tenant/${client}`, { headers: { authorization: `Bearer ${tokens[client]}` } })).json()) as { files: { name: string; state: string }[] };
        expect(listed.files.map((f) => `${f.name}:${f.state}`).sort()).toEqual(names.map((n) => `${n}:archived`));
        const other = clients.find((c) => c !== client)!;
        expect((await fetch(`${base}/tenant/${other}`, { headers: { authorization: `Bearer ${tokens[client]}` } })).status).toBe(403);
        // nothing of the other tenant under this tenant's folder
        const everything = fs.readdirSync(path.join(staging, client), { recursive: true }).map(String);
        expect(everything.filter((f) => f.includes(other))).toEqual([]);
      }
    } finally {
      const runs = await Promise.all(workers.map((w) => w.stop()));
      api.child.kill('SIGTERM');
      expect((await api.done).code).toBe(0);
      expect(runs.map((r) => r.at(-1)?.code)).toEqual([0, 0, 0, 0]);
    }
  });
});
