import type { Message, Producer } from 'kafkajs';
import { EngineError } from '../../../infra/errors';

export interface KafkaSenderOptions {
  /** Messages per `producer.send`. @default 1000 */
  readonly batchMessages?: number;
  /** Bytes (keys + values) per `producer.send`, below the broker's 1 MiB batch limit. @default 524288 */
  readonly batchBytes?: number;
  /** Sends awaiting their acknowledgement before `add` waits (kafkajs sends one idempotent request per broker at a time, so more only hold memory). @default 2 */
  readonly maxInFlight?: number;
}

/**
 * Batches messages per topic into `producer.send` calls (acks = all) with a bounded number in
 * flight, so reading and encoding overlap the network while memory stays bounded. `flush`
 * resolves once Kafka acknowledged everything added; the first failed send fails every later call.
 */
export class KafkaSender {
  private readonly batchMessages: number;
  private readonly batchBytes: number;
  private readonly maxInFlight: number;
  private readonly buffers = new Map<string, { messages: Message[]; bytes: number }>();
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;
  /** Messages acknowledged by Kafka so far. */
  acked = 0;

  constructor(private readonly producer: Producer, options: KafkaSenderOptions = {}) {
    this.batchMessages = options.batchMessages ?? 1000;
    this.batchBytes = options.batchBytes ?? 524_288;
    this.maxInFlight = options.maxInFlight ?? 2;
    for (const [name, value] of Object.entries({ batchMessages: this.batchMessages, batchBytes: this.batchBytes, maxInFlight: this.maxInFlight })) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`KafkaSender ${name} must be an integer >= 1, got ${value}`);
    }
  }

  /**
   * Queues one message. Returns a promise only when a batch was dispatched (await it: it waits
   * while too many sends are in flight), so the common case allocates nothing per message.
   */
  add(topic: string, message: Message): Promise<void> | undefined {
    this.check();
    let buffer = this.buffers.get(topic);
    if (buffer === undefined) {
      buffer = { messages: [], bytes: 0 };
      this.buffers.set(topic, buffer);
    }
    buffer.messages.push(message);
    buffer.bytes += size(message.key) + size(message.value);
    if (buffer.messages.length < this.batchMessages && buffer.bytes < this.batchBytes) return undefined;
    this.buffers.delete(topic);
    return this.dispatch(topic, buffer.messages);
  }

  /** Sends every buffered message and waits for all acknowledgements. */
  async flush(): Promise<void> {
    for (const [topic, buffer] of [...this.buffers]) {
      this.buffers.delete(topic);
      await this.dispatch(topic, buffer.messages);
    }
    await Promise.all(this.inFlight);
    this.check();
  }

  private async dispatch(topic: string, messages: Message[]): Promise<void> {
    while (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight);
    this.check();
    const send: Promise<void> = this.producer
      .send({ topic, messages, acks: -1 })
      .then(
        () => { this.acked += messages.length; },
        (err: unknown) => {
          this.failure ??= new EngineError(`Kafka send of ${messages.length} messages to ${topic} failed: ${(err as Error).message}`, { cause: err, retriable: true });
        },
      )
      .finally(() => { this.inFlight.delete(send); });
    this.inFlight.add(send);
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

/** Bytes of a Buffer, characters of a string: a bound on sends, not an exact size. */
const size = (b: Message['key'] | Message['value']): number => (b === null || b === undefined ? 0 : b.length);
