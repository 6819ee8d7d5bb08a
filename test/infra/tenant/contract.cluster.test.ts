import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAgreement } from '../../../infra/tenant/parse-agreement';
import type { ValidationIssue } from '../../../infra/tenant/issues';
import { collectionPath, eventually, kubeRequest } from '../../helpers/kube-api';
import { seed } from '../../helpers/tenant-files';

// The oracle for the tenant contract: every schedule and quantity below goes to `validate` and, as
// a CronJob or a Pod, to the real API server (dry run). They must agree case by case; the only
// allowed difference is a deliberate refusal (rule `*-mistake`) of a value the API server accepts.

const NAMESPACE = 'mysimbdp-contract';

const SCHEDULES = [
  // accepted by robfig/cron v3 ParseStandard
  '0 * * * *', '*/1 * * * *', '0 0 * * 0', '0 0 * * 6', '0 0 * * SUN', '0 0 * * sun-sat', '0 0 ? * MON', '0 0 * * ?', '0 0 */1 * 1',
  '@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually', '@every 5m', '@every 1h30m', '@every 90s', '@every 1.5m',
  '@every 2h', '+5 * * * *', '007 * * * *', '1,,2 * * * *', ',5 * * * *', '*-5 * * * *', '5/15 * * * *', '0-59/7 * * * *', '0 0 1 jan,JUL *',
  '  0 0 * * *  ', '0\t0\t*\t*\t*', '0 0 1-31 1-12 0-6', '59 23 31 12 6', '0 0 29 2 *', '0 9-17/2 * * mon-fri', '0 0 1,15 * *', '0 0 ? * *',
  '15 14 1 * *', '0 22 * * 1-5', '23 0-20/2 * * *', '5 4 * * sun', '0 0,12 1 */2 *', '0 4 8-14 * *', '*/15 * * * *',
  // refused by the API server
  '0 0 * * 7', '0 0 * * 1-7', '* * * * 8', '60 * * * *', '0 24 * * *', '0 0 0 * *', '0 0 * 0 *', '0 0 * 13 *', '*/0 * * * *', '30-10 * * * *',
  '1-2-3 * * * *', '*/2/3 * * * *', '-1 * * * *', 'x * * * *', '0 0 * FOO *', '0 0 * * MONDAY', '* * * *', '* * * * * *', '0 0 * * * *', '',
  ' @hourly', '@hourly ', '@HOURLY', '@reboot', '@every', '@every 5x', '@every 5', 'TZ=UTC 0 * * * *', 'CRON_TZ=UTC 0 * * * *', '0 0 L * *',
  '0 0 1W * *', '0 0 * * 1#2', '0 0 * * 5L', '1.5 * * * *', '0x10 * * * *', '99999999999999999999 * * * *', '0 0 * * */0', '0 0 32 * *',
  // accepted by the API server, refused by the contract on purpose
  '0 0 31 2 *', '0 0 30 2 *', '0 0 , * *', '@every 0', '@every -5m', '@every 1500ms', '@every 500ms',
];

const CPUS = [
  '1', '0.5', '.5', '.25', '500m', '1.', '+1', '1e-3', '1e3', '1E3', '2k', '1.0005', '1m', '1 ', '  2', '1u', '1000000n', '100000u', '1e+3',
  '1P', '4', '250m', '0.001', '64', '1E', '2.5e2m',
  '-1', '-500m', '', 'abc', '1 Gi', '1e3k', '1e2Gi', '1e', '1k5', '1K', '1mi', '1..', '1.5.2', 'm', '1 000', '1,5', '0x1', '1e3.5', 'one',
  '0.0005', '0.5m', '1Gi', '500Mi', '1Ki', '0', '0m', '.', '+', '1n', '1e7', '-0',
];

const MEMORIES = [
  '128Mi', '1Gi', '512M', '1e9', '1E3', '5.', '1e+3', '1e3', '1.5Gi', '0.5Ki', '1e18', '1000000000n', '1.0', '64Mi ', ' 64Mi', '1Ei', '100',
  '2048Ki', '1T', '0.5Gi', '1000k', '1e6', '800Mi', '1.25Gi', '3G',
  '1e3k', '1e2Gi', '-1', '-64Mi', '1GB', '1K', '1mi', 'Mi', '', '1 Gi', '1e', 'abc', '1..5', '1e-', '64 Mi', '1,024', '1Gb',
  '0.125e3Mi', '128m', '1m', '1.5', '0', '2Ei', '1e19', '100n', '.', '0.1Ki', '-0',
];

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

const cronJob = (schedule: string) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'contract' },
  spec: { schedule, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } },
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
});
