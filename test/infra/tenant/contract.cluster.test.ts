import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAgreement } from '../../../infra/tenant/parse-agreement';
import type { ValidationIssue } from '../../../infra/tenant/issues';
import { collectionPath, eventually, kubeRequest } from '../../helpers/kube-api';
import { seed } from '../../helpers/tenant-files';
import { CPUS, MEMORIES, SCHEDULES, TIME_ZONES } from '../../fixtures/contract-corpus';

// The oracle for the tenant contract: every schedule and quantity below goes to `validate` and, as
// a CronJob or a Pod, to the real API server (dry run). They must agree case by case; the only
// allowed difference is a deliberate refusal (rule `*-mistake`) of a value the API server accepts.

const NAMESPACE = 'mysimbdp-contract';

interface Verdict {
  readonly accepted: boolean;
  readonly message: string;
}

/** validate's verdict on an agreement whose `field` is `value` (issues at that path only). */
function validateVerdict(edit: (agreement: Record<string, any>) => void, pathPrefix: string): Verdict & { readonly deliberate: boolean } {
  const agreement = seed.agreementA() as Record<string, any>;
  edit(agreement);
  const issues: ValidationIssue[] = parseAgreement('client_a/agreement.json', 'client_a', agreement).issues.filter((i) => i.path.startsWith(pathPrefix));
  return { accepted: issues.length === 0, message: issues.map((i) => `${i.path}: ${i.message} (${i.rule})`).join('; '), deliberate: issues.length > 0 && issues.every((i) => i.rule.endsWith('-mistake')) };
}

/** The API server's verdict on creating `object` (dry run: admission and validation, nothing stored). */
async function apiVerdict(apiVersion: string, plural: string, object: unknown): Promise<Verdict> {
  const res = await kubeRequest('POST', `${collectionPath(apiVersion, plural, NAMESPACE)}?dryRun=All`, object);
  return { accepted: res.status === 201, message: res.status === 201 ? '' : `HTTP ${res.status}: ${res.body?.message}` };
}

const cronJob = (schedule: string, timeZone?: string) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'contract' },
  spec: { schedule, ...(timeZone === undefined ? {} : { timeZone }), jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } },
});

const pod = (resource: 'cpu' | 'memory', value: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'contract' },
  spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { [resource]: value }, limits: { [resource]: value } } }] },
});

interface Disagreement {
  readonly value: string;
  readonly validate: string;
  readonly apiServer: string;
}

async function compare(values: readonly string[], judge: (value: string) => Promise<[ReturnType<typeof validateVerdict>, Verdict]>) {
  const disagreements: Disagreement[] = [];
  let accepted = 0;
  let refused = 0;
  let deliberate = 0;
  for (const value of values) {
    const [ours, theirs] = await judge(value);
    const show = (v: Verdict): string => (v.accepted ? 'accepted' : `refused: ${v.message}`);
    if (ours.accepted === theirs.accepted) {
      if (ours.accepted) accepted++;
      else refused++;
    } else if (!ours.accepted && ours.deliberate && theirs.accepted) {
      deliberate++;
    } else {
      disagreements.push({ value: JSON.stringify(value), validate: show(ours), apiServer: show(theirs) });
    }
  }
  return { disagreements, accepted, refused, deliberate };
}

describe('the tenant contract agrees with the real API server', () => {
  beforeAll(async () => {
    const ns = await kubeRequest('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
    expect([201, 409]).toContain(ns.status);
    // the ServiceAccount admission plugin needs the namespace's default account, made by a controller
    await eventually(async () => ((await kubeRequest('GET', `/api/v1/namespaces/${NAMESPACE}/serviceaccounts/default`)).status === 200 ? true : undefined), 30_000, async () => 'no default ServiceAccount');
  });

  afterAll(async () => {
    await kubeRequest('DELETE', `/api/v1/namespaces/${NAMESPACE}`);
    await eventually(async () => ((await kubeRequest('GET', `/api/v1/namespaces/${NAMESPACE}`)).status === 404 ? true : undefined), 60_000, async () => `${NAMESPACE} not deleted`);
  });

  it(`on ${SCHEDULES.length} schedules (CronJob spec.schedule)`, async () => {
    const result = await compare(SCHEDULES, async (s) => [validateVerdict((a) => (a.schedule = s), 'schedule'), await apiVerdict('batch/v1', 'cronjobs', cronJob(s))]);
    expect(result.disagreements).toEqual([]);
    expect(result).toMatchObject({ accepted: 44, refused: 38, deliberate: 7 });
  });

  it(`on ${CPUS.length} CPU quantities (Pod resources)`, async () => {
    const result = await compare(CPUS, async (q) => [
      validateVerdict((a) => (a.resources = { requests: { cpu: q, memory: '64Mi' }, limits: { cpu: q, memory: '64Mi' } }), 'resources.'),
      await apiVerdict('v1', 'pods', pod('cpu', q)),
    ]);
    expect(result.disagreements).toEqual([]);
    expect(result.accepted).toBeGreaterThan(20);
    expect(result.refused).toBeGreaterThan(15);
  });

  it(`on ${MEMORIES.length} memory quantities (Pod resources)`, async () => {
    const result = await compare(MEMORIES, async (q) => [
      validateVerdict((a) => (a.resources = { requests: { cpu: '100m', memory: q }, limits: { cpu: '100m', memory: q } }), 'resources.'),
      await apiVerdict('v1', 'pods', pod('memory', q)),
    ]);
    expect(result.disagreements).toEqual([]);
    expect(result.accepted).toBeGreaterThan(20);
    expect(result.refused).toBeGreaterThan(10);
  });

  it(`on ${TIME_ZONES.length} time zones (CronJob spec.timeZone)`, async () => {
    const result = await compare(TIME_ZONES, async (z) => [validateVerdict((a) => (a.time_zone = z), 'time_zone'), await apiVerdict('batch/v1', 'cronjobs', cronJob('0 2 * * *', z))]);
    expect(result.disagreements).toEqual([]);
    expect(result.accepted).toBeGreaterThan(10);
    expect(result.refused).toBeGreaterThan(5);
  });
});
