import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as cassandra from 'cassandra-driver';
import { afterAll, describe, expect, it } from 'vitest';
import { createCassandraClient } from '../../../ingest/src/cassandra/cassandra-client';
import { agreementJson, seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../helpers/tenant-dirs';

// `mysimbdp dev` end to end: it provisions, prints a token and the API address, ingests an upload
// through its stream and sink children, serves the operator view (ingestion log as the console
// role, the monitor's decisions over HTTP), and Ctrl-C (SIGINT) stops it and every child.
const CLI = path.join(__dirname, '../../../ingest/bin/mysimbdp.cjs');
const id = `it_dev_${uniqueSuffix()}`;
const cass: cassandra.Client = createCassandraClient();
// a console role of this run only, so the shared mysimbdp_console keeps its password
const CONSOLE = `${id}_console`;
const env = { ...process.env, CASSANDRA_CONSOLE_ROLE: CONSOLE };

afterAll(async () => {
  await cass.execute(`DROP KEYSPACE IF EXISTS "${id}"`).catch(() => undefined);
  for (const role of [id, `${id}_once`, CONSOLE]) await cass.execute(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
  await cass.shutdown();
});

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('mysimbdp dev', () => {
  it('runs the platform locally and stops everything on Ctrl-C', async () => {
    const tenantsDir = writeTenantDir(tempDir('dev-tenants'), id, seedDataset('client_a', id), { ...agreementJson(id), encryption: true });
    const source = tempDir('dev-staging');
    const child = spawn(process.execPath, [CLI, 'dev', '--tenants', tenantsDir, '--source', source, '--credentials-dir', tempDir('dev-credentials'), '--api-port', '0', '--monitor-port', '0', '--no-schedules'], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const waitFor = async (what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      while (!(await ok())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nstdout:\n${stdout}\nstderr:\n${stderr.slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    try {
      await waitFor('the banner', () => stdout.includes('Ctrl-C stops everything.'));
      const token = new RegExp(`token\\s+${id}: (\\S+)`).exec(stdout)![1]!;
      const api = /api\s+(http:\/\/\S+)/.exec(stdout)![1]!;
      expect(stdout).toContain(`key      ${id}: new dev key dev1 in ${path.join(source, '.keys', id)}`);
      const operator = /operator operator: (\S+) {2}\(saved in (\S+)\)/.exec(stdout)!;
      expect(operator[2]).toBe(path.join(source, '.operator-token'));
      expect(fs.readFileSync(operator[2]!, 'utf8')).toBe(`${operator[1]}\n`);
      const who = await fetch(`${api}/whoami`, { headers: { authorization: `Bearer ${operator[1]}` } });
      expect(await who.json()).toEqual({ role: 'operator', operator: 'operator' });
      await waitFor('the stream child', () => stderr.includes('"msg":"stream started"'));
      const form = new FormData();
      const rows = Array.from({ length: 25 }, (_, i) => `DEVTEST,d${i},1,1,1,1,1,${i},t,1.5,2.5`);
      form.append('file', new Blob([`PROVINCECODE,DEVICEID,IFINDEX,FRAME,SLOT,PORT,ONUINDEX,ONUID,TIME,SPEEDIN,SPEEDOUT\n${rows.join('\n')}\n`]), 'dev.csv');
      const res = await fetch(`${api}/upload-file/${id}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(201);
      expect(((await res.json()) as { encrypted: boolean }).encrypted).toBe(true);
      await waitFor('25 rows in Cassandra', async () => {
        const r = await cass.execute(`SELECT count(*) FROM "${id}"."analytics" WHERE "PROVINCECODE" = 'DEVTEST'`);
        return r.rows[0]!.get('count').toNumber() === 25;
      });
      // the operator view: the ingestion log read as the console role, the decisions asked of the monitor over HTTP
      const overview = (await (await fetch(`${api}/operator/overview`, { headers: { authorization: `Bearer ${operator[1]}` } })).json()) as Record<string, any>;
      expect({ log: overview.ingestion_log, decisions: overview.decisions.available }).toEqual({ log: { available: true }, decisions: true });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    const pids = [...stderr.matchAll(/"msg":"instance started".*?"pid":(\d+)/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(2); // one sink, one stream
    expect(pids.filter(alive)).toEqual([]);
  });
});

describe('mysimbdp dev --once', () => {
  it('provisions, ingests every inbox with batch, drains the topic with the sink, and exits', async () => {
    const onceId = `${id}_once`;
    const tenantsDir = writeTenantDir(tempDir('dev-once-tenants'), onceId, seedDataset('client_a', onceId), agreementJson(onceId));
    const source = tempDir('dev-once-staging');
    const inbox = path.join(source, onceId, 'in');
    fs.mkdirSync(inbox, { recursive: true });
    const rows = Array.from({ length: 40 }, (_, i) => `ONCE,d${i},1,1,1,1,1,${i},t,1.5,2.5`);
    fs.writeFileSync(path.join(inbox, 'once.csv'), `PROVINCECODE,DEVICEID,IFINDEX,FRAME,SLOT,PORT,ONUINDEX,ONUID,TIME,SPEEDIN,SPEEDOUT\n${rows.join('\n')}\nONCE,bad,x,1,1,1,1,99,t,1,1\n`);
    const result = spawnSync(process.execPath, [CLI, 'dev', '--once', '--tenants', tenantsDir, '--source', source, '--credentials-dir', tempDir('dev-once-credentials')], { encoding: 'utf8', timeout: 170_000, env });
    try {
      expect(result.stdout).toBe(`done     ${onceId}/speed-tracking-data: batch exit 0, sink exit 0\n`);
      expect(result.status).toBe(0);
      const count = await cass.execute(`SELECT count(*) FROM "${onceId}"."analytics" WHERE "PROVINCECODE" = 'ONCE'`);
      expect(count.rows[0]!.get('count').toNumber()).toBe(40);
      expect(fs.readdirSync(path.join(source, onceId, 'archive'))).toEqual(['once.csv']);
      expect(fs.readFileSync(path.join(source, onceId, 'quarantine', 'once.csv.rejected.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
    } finally {
      await cass.execute(`DROP KEYSPACE IF EXISTS "${onceId}"`).catch(() => undefined);
    }
  });
});
