import { describe, expect, it } from 'vitest';
import { BatchCronJob, type BatchCronJobProps } from '../../../../infra/constructs/tenant/batch-cron-job';
import { one, podEnv, render, schedule, seedTenant, testSettings, thrownMessage, withAgreement, withDataset } from '../../fixtures';
import { podSpecOf } from '../../manifest-validation';

const settings = testSettings();
const props = (patch: Partial<BatchCronJobProps> = {}): BatchCronJobProps => {
  const tenant = seedTenant('client_b');
  return { tenant, dataset: tenant.datasets[0]!, settings, ...patch };
};

describe('BatchCronJob', () => {
  it("runs batch on the dataset's schedule with its resources, never concurrently", () => {
    const cron = one(render((chart) => new BatchCronJob(chart, 'b', props())), 'CronJob');
    expect(cron.metadata).toMatchObject({ name: 'client-b-amazon-product-review-data-batch', namespace: 'mysimbdp-client-b' });
    expect(cron.spec).toMatchObject({
      schedule: '*/1 * * * *',
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: { spec: { backoffLimit: 2 } },
    });
    const c = podSpecOf(cron)!.containers[0]!;
    expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } });
    expect((c as unknown as { args: string[] }).args).toEqual(['batch']);
    expect(podEnv(cron)).toEqual({
      CLIENT_ID: 'client_b',
      DATASET: 'amazon-product-review-data',
      SOURCE_PATH: '/staging',
      TENANTS_DIR: '/etc/mysimbdp/tenants',
      KAFKA_BROKERS: 'mysimbdp-kafka-bootstrap.mysimbdp-platform.svc:9092',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_USERNAME: 'client-b',
      KAFKA_PASSWORD: 'secret:client-b-kafka/password',
      KAFKA_SSL: 'false',
      CASSANDRA_CONTACT_POINTS: 'mysimbdp-dc1-service.mysimbdp-platform.svc:9042',
      CASSANDRA_LOCAL_DC: 'dc1',
      CASSANDRA_USERNAME: 'secret:client-b-cassandra/username',
      CASSANDRA_PASSWORD: 'secret:client-b-cassandra/password',
    });
    expect((c as unknown as { volumeMounts: { mountPath: string }[] }).volumeMounts.map((m) => m.mountPath)).toEqual(['/tmp', '/etc/mysimbdp/tenants/client_b', '/staging/client_b']);
  });

  it('mounts the encryption keys when the agreement asks for encryption', () => {
    const tenant = withAgreement(seedTenant('client_b'), { encryption: true });
    const cron = one(render((chart) => new BatchCronJob(chart, 'b', props({ tenant }))), 'CronJob');
    expect(podEnv(cron).ENCRYPTION_KEYS_DIR).toBe('/etc/mysimbdp/keys');
    expect(JSON.stringify(podSpecOf(cron))).toContain('"secretName":"client-b-keys"');
  });

  it.each([
    [{ backoffLimit: -1 }, 'BatchCronJob: backoffLimit must be an integer >= 0, got -1'],
    [{ successfulJobsHistoryLimit: 1.5 }, 'BatchCronJob: successfulJobsHistoryLimit must be an integer >= 0, got 1.5'],
    [{ failedJobsHistoryLimit: -2 }, 'BatchCronJob: failedJobsHistoryLimit must be an integer >= 0, got -2'],
    [{ startingDeadlineSeconds: 5 }, 'BatchCronJob: startingDeadlineSeconds must be an integer >= 10, got 5'],
  ] as const)('refuses %j', async (patch, message) => {
    expect(thrownMessage(() => render((chart) => new BatchCronJob(chart, 'b', props(patch))))).toBe(message);
  });

  it.each(['@hourly', '@every 5m', '0 0 ? * MON'])('passes %j, which Kubernetes accepts, to the CronJob as written', (expression) => {
    const tenant = withDataset(seedTenant('client_b'), { schedule: schedule(expression) });
    const cron = one(render((chart) => new BatchCronJob(chart, 'b', props({ tenant, dataset: tenant.datasets[0]! }))), 'CronJob');
    expect(cron.spec).toMatchObject({ schedule: expression, timeZone: 'Etc/UTC' });
  });

  it("runs in the agreement's time zone when it names one", () => {
    const tenant = withDataset(seedTenant('client_b'), { schedule: schedule('*/1 * * * *', 'Europe/Helsinki') });
    const cron = one(render((chart) => new BatchCronJob(chart, 'b', props({ tenant, dataset: tenant.datasets[0]! }))), 'CronJob');
    expect(cron.spec).toMatchObject({ schedule: '*/1 * * * *', timeZone: 'Europe/Helsinki' });
  });


  it('refuses a name Kubernetes would truncate (over 52 characters)', () => {
    const tenant = withDataset(seedTenant('client_b'), { name: 'amazon-product-review-data-with-a-long-name' });
    expect(thrownMessage(() => render((chart) => new BatchCronJob(chart, 'b', props({ tenant, dataset: tenant.datasets[0]! }))))).toBe(
      'CronJob name "client-b-amazon-product-review-data-with-a-long-name-batch" is longer than 52 characters',
    );
  });
});
