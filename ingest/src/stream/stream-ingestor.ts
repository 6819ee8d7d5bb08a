import type { Kafka, Producer } from 'kafkajs';
import type { Dataset, Tenant } from '../../../infra/tenant/types';
import type { AvroCodec } from '../avro/avro-codec';
import type { IngestionLog } from '../cassandra/ingestion-log';
import type { Logger } from '../log';
import type { IngestMetrics } from '../metrics/ingest-metrics';
import type { StagingLayout } from '../staging/staging-layout';
import { InboxWorker, type InboxWorkerOptions } from './inbox-worker';
import { MonitorReporter } from './monitor-reporter';
import { RawConsumer } from './raw-consumer';
import { StreamStats } from './stream-stats';

export interface StreamIngestorOptions {
  readonly tenant: Tenant;
  readonly dataset: Dataset;
  readonly layout: StagingLayout;
  readonly kafka: Kafka;
  /** Connected idempotent producer. */
  readonly producer: Producer;
  readonly codec: AvroCodec;
  readonly ingestionLog: Pick<IngestionLog, 'recordFile' | 'wasIngested'>;
  readonly logger: Logger;
  /** Instance id in reports. */
  readonly instance: string;
  /** @default no metrics */
  readonly metrics?: IngestMetrics;
  /** The monitor's POST /reports URL and this tenant's report token. @default no reports */
  readonly monitor?: { readonly url: string; readonly token: string };
  /** @default InboxWorker's defaults */
  readonly inbox?: InboxWorkerOptions;
  /** Consume the raw topic. @default true */
  readonly messages?: boolean;
}

/**
 * clientstreamingestapp for one tenant dataset: files arriving in in/ and messages on the raw topic,
 * both through the batch pipeline, with a report to the monitor every reportIntervalSeconds.
 */
export class StreamIngestor {
  readonly stats: StreamStats;
  /** Resolves with the error when the file or message trigger gave up on a dead dependency. */
  readonly failed: Promise<Error>;
  #fail: (error: Error) => void = () => undefined;
  #stopped: Promise<void> | undefined;
  readonly inbox: InboxWorker;
  readonly raw: RawConsumer | undefined;
  readonly #reporter: MonitorReporter | undefined;

  constructor(options: StreamIngestorOptions) {
    const { tenant, dataset } = options;
    this.stats = new StreamStats({ tenant: tenant.client, dataset: dataset.name, instance: options.instance });
    const onWork = this.stats.add.bind(this.stats);
    this.failed = new Promise((resolve) => {
      this.#fail = resolve;
    });
    const onFailure = (error: Error): void => this.#fail(error);
    this.inbox = new InboxWorker(
      { tenant, dataset, layout: options.layout, codec: options.codec, producer: options.producer, ingestionLog: options.ingestionLog, logger: options.logger, ...(options.metrics === undefined ? {} : { metrics: options.metrics }) },
      { ...options.inbox, onWork, onFailure },
    );
    this.raw = options.messages === false
      ? undefined
      : new RawConsumer({ kafka: options.kafka, tenant, dataset, codec: options.codec, producer: options.producer, logger: options.logger, onWork, onFailure, ...(options.metrics === undefined ? {} : { metrics: options.metrics }) });
    this.#reporter = options.monitor === undefined
      ? undefined
      : new MonitorReporter({ ...options.monitor, intervalSeconds: tenant.agreement.stream.reportIntervalSeconds, stats: this.stats, logger: options.logger });
  }

  async start(): Promise<void> {
    this.inbox.start();
    await this.raw?.start();
    this.#reporter?.start();
  }

  /** Graceful stop: no new work; the file and message batch in progress finish and are committed. Once, however often called. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      await Promise.all([this.inbox.stop(), this.raw?.stop()]);
      await this.#reporter?.stop();
    })();
    return this.#stopped;
  }
}
