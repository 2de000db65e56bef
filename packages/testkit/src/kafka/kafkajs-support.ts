/**
 * KafkaJS 2.2.4 in the Kafka-listener tests (DESIGN §9): a client whose log goes to a bounded buffer (printed
 * only when a test fails, so passing runs stay quiet), a registry that disconnects every producer, consumer
 * and admin after each test, and a group member that records what it was assigned and what it consumed.
 */

import type { Consumer, Kafka, KafkaConfig, LogEntry } from 'kafkajs';
import kafkajs from 'kafkajs';
import { LineRingBuffer } from '../ring-buffer.js';
import { withTimeout } from './shared.js';

const { Kafka: KafkaClient, logLevel } = kafkajs;

const LOG_LINES_MAX = 2_000;
const LOG_LINE_CHARS_MAX = 2_000;
const DISCONNECT_TIMEOUT_MS = 10_000;

/** KafkaJS's own log, kept for a failure report. */
export class KafkaJsLog {
  readonly #lines = new LineRingBuffer(LOG_LINES_MAX, LOG_LINE_CHARS_MAX);

  /** A KafkaJS logCreator writing here. */
  readonly logCreator = () => (entry: LogEntry) => {
    const { timestamp, message, ...extra } = entry.log;
    this.#lines.push(`${timestamp} ${entry.label} [${entry.namespace}] ${message} ${JSON.stringify(extra)}`);
  };

  tail(lineCount = 200): string {
    return this.#lines.tail(lineCount).join('\n');
  }
}

/** A KafkaJS client on `brokers`, logging at INFO into `log`, with short retries so waits stay bounded. */
export function kafkaJsClient(
  brokers: readonly string[],
  log: KafkaJsLog,
  overrides: Partial<KafkaConfig> = {},
): Kafka {
  return new KafkaClient({
    clientId: 'tributary-kafkajs-test',
    brokers: [...brokers],
    logLevel: logLevel.INFO,
    logCreator: log.logCreator,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 2_000 },
    ...overrides,
  });
}

interface Disconnectable {
  disconnect(): Promise<void>;
}

/** Every client a test opened, disconnected (each bounded in time) by `closeAll` in afterEach/afterAll. */
export class OpenClients {
  readonly #open: Disconnectable[] = [];

  track<T extends Disconnectable>(client: T): T {
    this.#open.push(client);
    return client;
  }

  /** Disconnects every tracked client; a client that hangs is reported, not awaited forever. */
  async closeAll(): Promise<void> {
    const clients = this.#open.splice(0);
    const results = await Promise.allSettled(
      clients.map((client) => withTimeout(client.disconnect(), DISCONNECT_TIMEOUT_MS, 'KafkaJS disconnect')),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    if (failed.length > 0) throw new Error(`${failed.length} KafkaJS clients did not disconnect cleanly`);
  }
}

export interface ConsumedRecord {
  readonly member: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string;
  readonly timestamp: number;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * One member of a consumer group: subscribes to `topic` from the beginning and keeps, in order, every
 * record it processed and the partitions of its latest assignment (from KafkaJS's GROUP_JOIN event).
 */
export class RecordingMember {
  readonly consumed: ConsumedRecord[] = [];
  #assignment: readonly number[] = [];
  #joins = 0;

  constructor(
    readonly name: string,
    readonly consumer: Consumer,
    private readonly topic: string,
  ) {
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.#assignment = [...(event.payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
      this.#joins++;
    });
  }

  /** Partitions of the latest generation this member joined. */
  get assignment(): readonly number[] {
    return this.#assignment;
  }

  /** Generations this member has joined. */
  get joins(): number {
    return this.#joins;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) {
          if (value !== undefined) headers[name] = value.toString();
        }
        this.consumed.push({
          member: this.name,
          partition,
          offset: Number(message.offset),
          key: message.key === null ? null : message.key.toString(),
          value: message.value?.toString() ?? '',
          timestamp: Number(message.timestamp),
          headers,
        });
      },
    });
  }
}
