// Garbage and CPU per row of the CPU-only halves of batch and sink, which bound them (the garbage
// collector was a third of batch's CPU). Batch: a generated client_a file (BENCH_ALLOC_ROWS, default
// 300,000) through `runPipeline` — reader, key pass, conversion, quality rules, Avro, the out/ line —
// and kafkajs' produce request encoding (the installed patches), into a producer that only encodes.
// Sink: the record batches those requests carry, decoded as a fetch response (kafkajs' decodeMessages
// and consumer Batch, with the installed decoder), then `prepareFlush` (Avro decoding, write order,
// last version per key). No network, so the figures barely move with the machine's load. In a child
// process: the patches must load before kafkajs, and V8's sampling heap profiler (with collected
// objects) must see only this work, under the image's heap caps.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as os from 'node:os';
import * as path from 'node:path';
import { type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import type { KafkaMessage } from 'kafkajs';

interface Figures {
  readonly stage: string;
  readonly rows: number;
  readonly bytesPerRow: number;
  readonly cpuMicrosPerRow: number;
  readonly scavenges: number;
  readonly markCompacts: number;
  readonly sites: readonly { readonly bytesPerRow: number; readonly site: string }[];
}

export async function bench(): Promise<Record<string, unknown>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- not in the child, where nothing may load kafkajs first
  const { IMAGE_ENV, IMAGE_NODE_OPTIONS } = require('./compiled-cli') as typeof import('./compiled-cli');
  const child = spawnSync(process.execPath, [...IMAGE_NODE_OPTIONS, '--import', 'tsx', __filename], { encoding: 'utf8', env: { ...process.env, ...IMAGE_ENV, BENCH_ALLOC_CHILD: '1' }, maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`allocation bench child failed (exit ${child.status}): ${child.stderr}`);
  const stages = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Figures[];
  for (const f of stages) {
    process.stdout.write(`${f.stage} of ${f.rows.toLocaleString('en-US')} client_a rows (no network): ${f.bytesPerRow} B allocated per row, ${f.cpuMicrosPerRow} µs CPU per row, ${f.scavenges} scavenges, ${f.markCompacts} mark-compacts\n`);
    for (const s of f.sites) process.stdout.write(`  ${String(s.bytesPerRow).padStart(6)} B/row  ${s.site}\n`);
  }
  return Object.fromEntries(stages.map((f) => [f.stage, f]));
}

/** The record set of a produce request for one topic and partition (v3: transactional id, acks, timeout, topic, partition). */
function recordSetOf(request: Buffer): Buffer {
  const transactionalId = request.readInt16BE(0);
  let at = 2 + Math.max(transactionalId, 0) + 2 + 4 + 4;
  at += 2 + request.readInt16BE(at) + 4 + 4;
  return request.subarray(at + 4, at + 4 + request.readInt32BE(at));
}

async function child(): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports -- kafkajs must load after the patches */
  const { installKafkajsPatches } = require('../../ingest/src/kafka/kafkajs-patches') as typeof import('../../ingest/src/kafka/kafkajs-patches');
  if (!installKafkajsPatches()) throw new Error('kafkajs was loaded before its patches');
  const { findTenant, loadTenantsOrThrow } = require('../../infra/tenant/load-tenants') as typeof import('../../infra/tenant/load-tenants');
  const { createAvroCodec } = require('../../ingest/src/avro/avro-codec') as typeof import('../../ingest/src/avro/avro-codec');
  const { writeGenerated } = require('../../ingest/src/gen/write-generated') as typeof import('../../ingest/src/gen/write-generated');
  const { KafkaSender } = require('../../ingest/src/pipeline/kafka-sender') as typeof import('../../ingest/src/pipeline/kafka-sender');
  const { runPipeline } = require('../../ingest/src/pipeline/pipeline') as typeof import('../../ingest/src/pipeline/pipeline');
  const { readRecords } = require('../../ingest/src/readers/read-records') as typeof import('../../ingest/src/readers/read-records');
  const { createRowFormatter } = require('../../ingest/src/wrangle/format-row') as typeof import('../../ingest/src/wrangle/format-row');
  const { prepareFlush } = require('../../ingest/src/sink/sink-flush') as typeof import('../../ingest/src/sink/sink-flush');
  const { primaryKeyOf } = require('../../ingest/src/wrangle/primary-key') as typeof import('../../ingest/src/wrangle/primary-key');
  const produceRequest = require('kafkajs/src/protocol/requests/produce/v3/request') as (args: object) => { encode(): Promise<unknown> };
  const decodeMessages = require('kafkajs/src/protocol/requests/fetch/v4/decodeMessages') as (decoder: unknown) => Promise<KafkaMessage[]>;
  const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown;
  const Batch = require('kafkajs/src/consumer/batch') as new (topic: string, fetchedOffset: string, data: object) => { messages: KafkaMessage[] };
  /* eslint-enable @typescript-eslint/no-require-imports */

  const rows = Number(process.env.BENCH_ALLOC_ROWS ?? 300_000);
  const dataset = findTenant(loadTenantsOrThrow(path.join(__dirname, '../../tenants')), 'client_a').datasets[0]!;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-alloc-')), 'a.csv');
  await writeGenerated({ ...dataset, maxFileSizeMb: 500 }, file, { rows, type: 'csv', badRatio: 0.001, seed: 42 });
  // What kafkajs does with a send's messages, minus the socket: the idempotent producer's request.
  const producer = {
    send: async ({ topic, messages }: { topic: string; messages: unknown[] }) => {
      await produceRequest({ acks: -1, timeout: 30_000, producerId: '4000', producerEpoch: 0, topicData: [{ topic, partitions: [{ partition: 0, firstSequence: 0, messages }] }] }).encode();
    },
  };
  const formatter = createRowFormatter(dataset, 'csv');
  const codec = createAvroCodec(dataset);
  const records = (only?: readonly string[]) => readRecords(fs.createReadStream(file), dataset, 'csv', 'a.csv', only);
  let outChars = 0;
  const batch = await measure('batch pipeline', rows, async () => {
    await runPipeline({ tenant: 'client_a', dataset, codec, sender: new KafkaSender(producer as never) }, {
      source: 'a.csv',
      records,
      onValid: (row) => { outChars += formatter.format(row).length; },
    });
  });
  if (outChars === 0) throw new Error('no row reached the out/ formatter');

  // The same rows again, unmeasured, kept as fetch responses of four record batches (about 1 MiB, a partition's fetch).
  const fetches: Buffer[] = [];
  let batches: Buffer[] = [];
  const keep = async ({ topic, messages }: { topic: string; messages: unknown[] }) => {
    const request = (await produceRequest({ acks: -1, timeout: 30_000, producerId: '4000', producerEpoch: 0, topicData: [{ topic, partitions: [{ partition: 0, firstSequence: 0, messages }] }] }).encode()) as { buffer: Buffer };
    batches.push(Buffer.from(recordSetOf(request.buffer)));
    if (batches.length === 4) {
      const size = Buffer.alloc(4);
      size.writeInt32BE(batches.reduce((n, b) => n + b.length, 0));
      fetches.push(Buffer.concat([size, ...batches]));
      batches = [];
    }
  };
  await runPipeline({ tenant: 'client_a', dataset, codec, sender: new KafkaSender({ send: keep } as never) }, { source: 'a.csv', records });
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  const ctx = { client: 'client_a', dataset, codec, writer: undefined as never, keyOf: primaryKeyOf(dataset) };
  let decoded = 0;
  const sink = await measure('sink decoding', batch.rows, async () => {
    for (const fetched of fetches) {
      const messages = await decodeMessages(new Decoder(fetched));
      const consumed = new Batch('client_a.speed-tracking-data', '0', { partition: 0, highWatermark: '999999999', messages, abortedTransactions: [] });
      decoded += prepareFlush(ctx, 'client_a.speed-tracking-data', 0, consumed.messages).messages;
    }
  });
  if (decoded === 0) throw new Error('no message was decoded');
  process.stdout.write(`${JSON.stringify([batch, { ...sink, rows: decoded }])}\n`);
}

/** Runs `work` under V8's sampling heap profiler (collected objects included) and a GC observer. */
async function measure(stage: string, rows: number, work: () => Promise<void>): Promise<Figures> {
  let scavenges = 0;
  let markCompacts = 0;
  const count = (entries: readonly PerformanceEntry[]): void => {
    for (const e of entries) if ((e as { detail?: { kind?: number } }).detail?.kind === 1) scavenges++; else markCompacts++;
  };
  const gc = new PerformanceObserver((list) => count(list.getEntries()));
  gc.observe({ entryTypes: ['gc'] });
  const session = new inspector.Session();
  session.connect();
  const post = <T>(method: string, params?: object): Promise<T> => new Promise((resolve, reject) => session.post(method, params as never, (err, res) => (err ? reject(err) : resolve(res as T))));
  await post('HeapProfiler.startSampling', { samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  const cpu = process.cpuUsage();
  await work();
  const used = process.cpuUsage(cpu);
  const { profile } = await post<{ profile: { head: HeapNode } }>('HeapProfiler.stopSampling');
  session.disconnect();
  // GC entries reach observers a turn of the event loop later
  await new Promise((resolve) => setTimeout(resolve, 20));
  count(gc.takeRecords());
  gc.disconnect();
  const bySite = new Map<string, number>();
  const walk = (n: HeapNode): void => {
    const { functionName, url, lineNumber } = n.callFrame;
    // line numbers only for JavaScript: tsx's TypeScript reaches V8 without its source map
    const site = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|ingest)\//, '$1/') || '(native)'}${url === '' || url.endsWith('.ts') ? '' : `:${lineNumber + 1}`}`;
    bySite.set(site, (bySite.get(site) ?? 0) + n.selfSize);
    n.children.forEach(walk);
  };
  walk(profile.head);
  const total = [...bySite.values()].reduce((a, b) => a + b, 0);
  return {
    stage,
    rows,
    bytesPerRow: Math.round(total / rows),
    cpuMicrosPerRow: Math.round(((used.user + used.system) / rows) * 10) / 10,
    scavenges,
    markCompacts,
    sites: [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([site, bytes]) => ({ site, bytesPerRow: Math.round(bytes / rows) })),
  };
}

interface HeapNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly selfSize: number;
  readonly children: readonly HeapNode[];
}

if (process.env.BENCH_ALLOC_CHILD === '1') {
  child().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
