import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nextCronTime, parseCron, type CronSchedule } from '../../../../infra/tenant/rules/cron';
import { parseCpu, parseMemory, Quantity } from '../../../../infra/tenant/rules/quantity';
import { ensureGoBinaries } from '../../../../ingest/src/cluster/go-build';
import { REPO_ROOT } from '../../../../ingest/src/engines/engine-layout';
import { CPUS, MEMORIES, NEXT_TIME_SCHEDULES, SCHEDULES, TIME_ZONES, ZONED_STARTS } from '../../../fixtures/contract-corpus';
import { parseTimeZone } from '../../../../infra/tenant/rules/time-zone';
import { BatchCronJob } from '../../../../infra/constructs/tenant/batch-cron-job';
import { one, render, schedule, seedTenant, testSettings, withDataset } from '../../fixtures';

// The differential test of the tenant contract: test/oracle is a Go program built from the very
// libraries Kubernetes uses (robfig/cron v3 for CronJob schedules, apimachinery for quantities).
// The contract's parsers must agree with it case by case — accepted or refused, the same next fire
// times, the same exact values — except for the contract's deliberate refusals.

const ORACLE_DIR = path.join(REPO_ROOT, 'test', 'oracle');
const BIN_DIR = path.join(REPO_ROOT, '.cache', 'oracle');
const FROM = '2026-12-03T10:17:42Z';
const COUNT = 6;

interface OracleAnswer {
  readonly ok: boolean;
  readonly error?: string;
  readonly next?: string[];
  readonly value?: string;
}

let ask: (requests: readonly Record<string, unknown>[]) => OracleAnswer[];

beforeAll(async () => {
  await ensureGoBinaries(
    { id: 'contract-oracle', title: 'the contract oracle', moduleDir: ORACLE_DIR, binDir: BIN_DIR, binaries: [{ name: 'contract-oracle', pkg: '.' }], ldflags: '-s -w', keyFiles: ['main.go'] },
    () => undefined,
  );
  ask = (requests) => {
    const run = spawnSync(path.join(BIN_DIR, 'contract-oracle'), { input: requests.map((r) => JSON.stringify(r)).join('\n'), encoding: 'utf8', maxBuffer: 16 << 20 });
    if (run.status !== 0) throw new Error(`contract-oracle exited ${run.status}: ${run.stderr}`);
    return run.stdout.trim().split('\n').map((line) => JSON.parse(line) as OracleAnswer);
  };
}, 600_000);

/** The first `count` fire times after `from`, as RFC 3339 UTC seconds (Go's format). */
function ourNext(schedule: CronSchedule, from: Date, count: number, timeZone?: string): string[] {
  const times: string[] = [];
  let t: Date | undefined = from;
  for (let i = 0; i < count; i++) {
    t = nextCronTime(schedule, t, { timeZone });
    if (t === undefined) break;
    times.push(t.toISOString().replace('.000Z', 'Z'));
  }
  return times;
}

/** apimachinery's decimal string (e.g. "102.400000000") as nano-units. */
function nanosOf(decimal: string): bigint {
  const negative = decimal.startsWith('-');
  const [whole = '0', fraction = ''] = decimal.replace(/^-/, '').split('.');
  const nanos = BigInt(whole) * 1_000_000_000n + BigInt((fraction + '000000000').slice(0, 9));
  return negative ? -nanos : nanos;
}

describe('the contract agrees with robfig/cron v3 and apimachinery (test/oracle)', () => {
  it(`on ${SCHEDULES.length + NEXT_TIME_SCHEDULES.length} schedules: accepted or refused, and the next ${COUNT} fire times`, async () => {
    const all = [...SCHEDULES, ...NEXT_TIME_SCHEDULES];
    const answers = ask(all.map((value) => ({ kind: 'schedule', value, from: FROM, count: COUNT })));
    const disagreements: string[] = [];
    let deliberate = 0;
    all.forEach((value, i) => {
      const oracle = answers[i] as OracleAnswer;
      const ours = parseCron(value);
      if (!ours.ok && ours.deliberate && oracle.ok) {
        deliberate++;
        return;
      }
      if (ours.ok !== oracle.ok) {
        disagreements.push(`${JSON.stringify(value)}: contract ${ours.ok ? 'accepts' : `refuses (${ours.message})`}, robfig/cron ${oracle.ok ? 'accepts' : `refuses (${oracle.error})`}`);
        return;
      }
      if (ours.ok) {
        const next = ourNext(ours.schedule, new Date(FROM), COUNT);
        if (JSON.stringify(next) !== JSON.stringify(oracle.next)) disagreements.push(`${JSON.stringify(value)}: next ${next.join(' ')} vs robfig/cron ${oracle.next?.join(' ')}`);
      }
    });
    expect(disagreements).toEqual([]);
    expect(deliberate).toBe(7);
  });

  it(`on ${CPUS.length + MEMORIES.length} quantities: the same grammar and the same exact value`, async () => {
    const all = [...new Set([...CPUS, ...MEMORIES])];
    const answers = ask(all.map((value) => ({ kind: 'quantity', value })));
    const disagreements: string[] = [];
    all.forEach((value, i) => {
      const oracle = answers[i] as OracleAnswer;
      // what the contract reads: the kernel's grammar on the trimmed value (as the API server's JSON decoding trims)
      const cpu = parseCpu(value);
      const q = cpu.ok ? cpu.quantity : Quantity.parse(value.trim());
      const parsed = typeof q !== 'string';
      if (parsed !== oracle.ok) {
        disagreements.push(`${JSON.stringify(value)}: contract ${parsed ? 'parses' : `refuses (${q})`}, apimachinery ${oracle.ok ? 'parses' : `refuses (${oracle.error})`}`);
      } else if (parsed && q.nanos !== nanosOf(oracle.value as string)) {
        disagreements.push(`${JSON.stringify(value)}: ${q.nanos} nano-units vs apimachinery ${oracle.value}`);
      }
      // a deliberate refusal is never of a value apimachinery cannot read
      for (const result of [cpu, parseMemory(value)]) if (!result.ok && result.deliberate && !oracle.ok) disagreements.push(`${JSON.stringify(value)}: deliberate refusal of an unreadable value`);
    });
    expect(disagreements).toEqual([]);
  });

  it('every schedule the contract accepts, synth writes into the CronJob as written', async () => {
    const accepted = [...SCHEDULES, ...NEXT_TIME_SCHEDULES].filter((s) => parseCron(s).ok);
    expect(accepted.length).toBeGreaterThan(60);
    for (const expression of accepted) {
      const tenant = withDataset(seedTenant('client_b'), { schedule: schedule(expression) });
      const cron = one(render((chart) => new BatchCronJob(chart, 'b', { tenant, dataset: tenant.datasets[0]!, settings: testSettings() })), 'CronJob');
      expect((cron.spec as { schedule: string }).schedule).toBe(expression);
    }
  });

  it(`on ${TIME_ZONES.length} time zones (CronJob spec.timeZone)`, async () => {
    const answers = ask(TIME_ZONES.map((value) => ({ kind: 'timezone', value })));
    const disagreements = TIME_ZONES.flatMap((value, i) => {
      const ours = parseTimeZone(value);
      const oracle = answers[i] as OracleAnswer;
      return ours.ok === oracle.ok ? [] : [`${JSON.stringify(value)}: contract ${ours.ok ? 'accepts' : `refuses (${ours.message})`}, Go ${oracle.ok ? 'accepts' : `refuses (${oracle.error})`}`];
    });
    expect(disagreements).toEqual([]);
  });

  it('fires at the same instants in a zone, across its DST changes', async () => {
    const schedules = ['30 2 * * *', '0 * * * *', '*/20 1-3 * * *', '0 0 * * *', '45 2 * * 0', '0 3 1 * *', '@daily', '@hourly'];
    const requests = ZONED_STARTS.flatMap(([zone, from]) => schedules.map((value) => ({ kind: 'schedule', value, from, count: COUNT, zone })));
    const answers = ask(requests);
    const disagreements = requests.flatMap((req, i) => {
      const ours = parseCron(req.value);
      if (!ours.ok) return [`${req.value}: refused (${ours.message})`];
      const next = ourNext(ours.schedule, new Date(req.from), COUNT, req.zone);
      const oracle = answers[i] as OracleAnswer;
      return JSON.stringify(next) === JSON.stringify(oracle.next) ? [] : [`${req.value} in ${req.zone} after ${req.from}: ${next.join(' ')} vs robfig/cron ${oracle.next?.join(' ')}`];
    });
    expect(disagreements).toEqual([]);
  });
});
