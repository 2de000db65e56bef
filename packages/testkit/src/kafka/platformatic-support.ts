/**
 * @platformatic/kafka 1.x in the Kafka-listener tests (DESIGN §9). The client logs nothing by itself and
 * retries silently, so a kit records what matters for a failure report (each retry with its cause, failed
 * operations, stream errors, failed commits, group joins) in a bounded buffer, and closes every client it
 * made after each test.
 */
import {
  type BaseOptions,
  Consumer,
  type Message,
  type MessagesStream,
  Producer,
  type ProducerOptions,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import { LineRingBuffer } from '../ring-buffer.js';
import { withTimeout } from './shared.js';

const EVENT_LINES_MAX = 1_000;
const EVENT_LINE_CHARS_MAX = 2_000;
const CLOSE_TIMEOUT_MS = 10_000;
const RETRY_DELAY_MS = 250;
const RETRIES = 5;
/** How deep describeError follows causes, and how many inner errors it shows per level. */
const ERROR_DEPTH_MAX = 4;
const INNER_ERRORS_MAX = 6;

/** Short timers so that joining and leaving take a moment rather than the 30-second defaults. */
export const GROUP_TIMERS = {
  sessionTimeout: 10_000,
  rebalanceTimeout: 10_000,
  heartbeatInterval: 500,
} as const;

export type StringProducer = Producer<string, string, string, string>;
export type StringConsumer = Consumer<string, string, string, string>;

export interface ReadMessage {
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string;
  readonly value: string;
  readonly headers: ReadonlyMap<string, string>;
}

/** A group member reading through the consumer stream; close() leaves the group (idempotent). */
export interface StreamMember {
  readonly read: ReadMessage[];
  close(): Promise<void>;
}

export class PlatformaticKit {
  #events = new LineRingBuffer(EVENT_LINES_MAX, EVENT_LINE_CHARS_MAX);
  readonly #open: { close(): Promise<void> }[] = [];

  constructor(private readonly bootstrap: () => readonly string[]) {}

  /** Starts a fresh record (each test's report shows only its own events). */
  resetEvents(): void {
    this.#events = new LineRingBuffer(EVENT_LINES_MAX, EVENT_LINE_CHARS_MAX);
  }

  events(lineCount = 200): string {
    return this.#events.tail(lineCount).join('\n');
  }

  /** Closes what the test opened, consumers (and their streams) before the producers they came after. */
  async closeAll(): Promise<void> {
    for (const client of this.#open.splice(0).reverse()) {
      await withTimeout(client.close(), CLOSE_TIMEOUT_MS, 'client close');
    }
  }

  /** What every client shares; each retry is recorded with its cause. */
  base(clientId: string): BaseOptions {
    return {
      clientId,
      bootstrapBrokers: [...this.bootstrap()],
      retries: RETRIES,
      retryDelay: (_client, operationId, attempt, _retries, error) => {
        this.#events.push(`${clientId} retries ${operationId} (attempt ${attempt}): ${describeError(error)}`);
        return RETRY_DELAY_MS;
      },
    };
  }

  track<T extends { close(): Promise<void> }>(client: T): T {
    this.#open.push(client);
    return client;
  }

  producer(options: Partial<ProducerOptions<string, string, string, string>> = {}): StringProducer {
    const client = new Producer<string, string, string, string>({
      ...this.base('platformatic-producer'),
      serializers: stringSerializers,
      ...options,
    });
    // A produce that fails for stale metadata is sent again at once, not through retryDelay: record it too.
    client.on(
      'client:performWithRetry:failed',
      (operationId: unknown, _retries: unknown, errors: unknown) => {
        const list = Array.isArray(errors) ? errors : [errors];
        this.#events.push(`${String(operationId)} failed: ${list.map((e) => describeError(e)).join('; ')}`);
      },
    );
    return this.track(client);
  }

  /** A group member that joins explicitly (joinGroup, no stream), subscribed to `topic`. */
  member(options: {
    readonly name: string;
    readonly groupId: string;
    readonly topic: string;
  }): StringConsumer {
    const consumer = this.consumer(options.name, options.groupId);
    consumer.topics.trackAll(options.topic);
    return this.track(consumer);
  }

  /** A group member reading `topic` through the consumer stream, from its commits (else the earliest). */
  async streamMember(options: {
    readonly name: string;
    readonly groupId: string;
    readonly topic: string;
  }): Promise<StreamMember> {
    const { name, topic } = options;
    const consumer = this.consumer(name, options.groupId);
    let stream: MessagesStream<string, string, string, string>;
    try {
      stream = await consumer.consume({
        topics: [topic],
        mode: 'committed',
        fallbackMode: 'earliest',
        autocommit: true,
        maxWaitTime: 250,
      });
    } catch (error) {
      await withTimeout(consumer.close(), CLOSE_TIMEOUT_MS, `${name} consumer close`);
      throw error;
    }
    const read: ReadMessage[] = [];
    stream.on('data', (message: Message<string, string, string, string>) => {
      const { partition, offset, key, value, headers } = message;
      read.push({ partition, offset, key, value, headers });
    });
    stream.on('error', (error) => this.#events.push(`${name} stream error: ${describeError(error)}`));
    stream.on('autocommit', (error) => {
      if (error) this.#events.push(`${name} autocommit failed: ${describeError(error)}`);
    });
    // A test closes a member to make it leave, and afterEach closes whatever is left: close once.
    let closing: Promise<void> | undefined;
    return this.track({
      read,
      close: (): Promise<void> => {
        closing ??= (async () => {
          await withTimeout(stream.close(), CLOSE_TIMEOUT_MS, `${name} stream close`);
          await withTimeout(consumer.close(), CLOSE_TIMEOUT_MS, `${name} consumer close`);
        })();
        return closing;
      },
    });
  }

  private consumer(name: string, groupId: string): StringConsumer {
    const consumer = new Consumer<string, string, string, string>({
      ...this.base(`platformatic-${name}`),
      groupId,
      deserializers: stringDeserializers,
      ...GROUP_TIMERS,
    });
    consumer.on('consumer:group:join', (payload) =>
      this.#events.push(`${name} joined ${JSON.stringify(payload)}`),
    );
    consumer.on('consumer:heartbeat:error', ({ error }) =>
      this.#events.push(`${name} heartbeat: ${describeError(error)}`),
    );
    return consumer;
  }
}

/**
 * An error with its code, the response path and server message of a protocol error, and the errors
 * inside the client's aggregate errors and causes (bounded in depth and breadth).
 */
export function describeError(error: unknown, depth = 0): string {
  if (!(error instanceof Error) || depth > ERROR_DEPTH_MAX) return String(error);
  const inner = [
    ...('errors' in error && Array.isArray(error.errors) ? error.errors : []),
    ...(error.cause === undefined ? [] : [error.cause]),
  ];
  const code = 'code' in error ? ` [${String(error.code)}]` : '';
  const path = 'path' in error ? ` at ${String(error.path)}` : '';
  const server =
    'serverErrorMessage' in error && error.serverErrorMessage ? ` (${String(error.serverErrorMessage)})` : '';
  const nested = inner
    .slice(0, INNER_ERRORS_MAX)
    .map((e) => `\n${'  '.repeat(depth + 1)}${describeError(e, depth + 1)}`);
  return `${error.message}${code}${path}${server}${nested.join('')}`;
}
