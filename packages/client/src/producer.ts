/**
 * The producer shell: partitions records, encodes one batch per partition, sends one Produce call per
 * leader broker, and retries retriable failures (after a metadata refresh where the code says the view
 * is stale) with jittered backoff until the delivery deadline. Per DESIGN §8 a unary call costs ~150 µs of CPU,
 * so work is per batch and per call, never per record.
 */
import { assert, type Clock, type Random, systemClock, systemRandom, TributaryError } from '@tributary/core';
import { backoffDelayMs, DEFAULT_BACKOFF, unary } from '@tributary/protocol';
import {
  encodeRecordBatch,
  isSupportedCompression,
  type RecordHeader,
  type RecordInput,
  StickyPartitioner,
  SUPPORTED_COMPRESSION,
  type SupportedCompression,
} from '@tributary/records';
import { type BrokerConnections, Slots } from './connections.js';
import { CLIENT_LIMITS, DEFAULT_PRODUCER } from './limits.js';
import type { MetadataCache } from './metadata-cache.js';
import { assignPartitions, type CustomPartitioner, chunkBySize, groupByPartition } from './partitioning.js';
import { needsMetadataRefresh, partitionError, sleep, toError } from './retry.js';

export type Acks = 'all' | -1 | 0 | 1;

export interface ProducerOptions {
  readonly acks?: Acks;
  /**
   * Deadline of one request (Produce call or metadata lookup; Kafka's request.timeout.ms), default
   * 30,000. When `deliveryTimeoutMs` is not given it also bounds the whole send, as it always has.
   */
  readonly timeoutMs?: number;
  /**
   * Bound on the whole send, retries included (Kafka's delivery.timeout.ms): default `timeoutMs` when
   * that is given, else 120,000. On expiry the unacknowledged records fail with REQUEST_TIMED_OUT.
   */
  readonly deliveryTimeoutMs?: number;
  /**
   * Chooses the partition of each record without an explicit `partition`, replacing murmur2 (keyed)
   * and sticky (keyless). A result outside [0, partitionCount) fails the send with INVALID_PARTITIONS.
   * sendBatch() does not consult it.
   */
  readonly partitioner?: CustomPartitioner;
  /** When > 0, send() calls within this window share requests. */
  readonly lingerMs?: number;
  readonly batchMaxRecords?: number;
  readonly batchMaxBytes?: number;
  /** Produce calls in flight per broker. */
  readonly maxInFlightPerBroker?: number;
  /** Codec for each batch's records section; default 'none'. Consumers decompress transparently. */
  readonly compression?: SupportedCompression;
}

export interface ProducerRecord {
  readonly key: Uint8Array | string | null;
  readonly value: Uint8Array | string | null;
  readonly headers?: readonly RecordHeader[];
  readonly partition?: number;
}

export interface RecordMetadata {
  readonly partition: number;
  /** -1 with acks=0 (nothing is acknowledged). */
  readonly offset: number;
}

/** One record's outcome from sendWithResults(): acknowledged, or the error that left it unacknowledged. */
export type RecordResult = RecordMetadata | { readonly error: TributaryError };

export interface BatchResult {
  readonly partition: number;
  readonly baseOffset: number;
  readonly recordCount: number;
}

export interface ProducerDeps {
  readonly metadata: MetadataCache;
  readonly connections: BrokerConnections;
  readonly clock?: Clock;
  readonly random?: Random;
}

interface Queued {
  readonly topic: string;
  readonly records: readonly ProducerRecord[];
  readonly deadlineMs: number;
  readonly settle: (results: RecordResult[]) => void;
  readonly reject: (error: unknown) => void;
}

/** Per-partition outcome of deliver(): every partition asked for ends in exactly one of the two maps. */
interface Delivery {
  readonly offsets: Map<number, number>;
  readonly errors: Map<number, TributaryError>;
}

/** All-or-nothing view of per-record results, for send(): the first failure, in input order. */
function firstError(results: readonly RecordResult[]): TributaryError | undefined {
  for (const result of results) if ('error' in result) return result.error;
  return undefined;
}

function toBytes(value: Uint8Array | string | null): Uint8Array | null {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

export function acksNumber(acks: Acks): number {
  return acks === 'all' ? -1 : acks;
}

export class Producer {
  private readonly acks: number;
  private readonly timeoutMs: number;
  private readonly deliveryTimeoutMs: number;
  private readonly partitioner: CustomPartitioner | undefined;
  private readonly lingerMs: number;
  private readonly batchMaxRecords: number;
  private readonly batchMaxBytes: number;
  private readonly maxInFlight: number;
  private readonly compression: SupportedCompression;
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly sticky: StickyPartitioner;
  private readonly slots = new Map<string, Slots>();
  private queued: Queued[] = [];
  private lingerTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: ProducerDeps,
    options: ProducerOptions = {},
  ) {
    this.acks = acksNumber(options.acks ?? DEFAULT_PRODUCER.acks);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PRODUCER.timeoutMs;
    this.deliveryTimeoutMs =
      options.deliveryTimeoutMs ?? options.timeoutMs ?? DEFAULT_PRODUCER.deliveryTimeoutMs;
    if (!(this.deliveryTimeoutMs > 0) || !(this.timeoutMs > 0)) {
      throw new TributaryError(
        'INVALID_REQUEST',
        `timeoutMs and deliveryTimeoutMs must be > 0, got ${this.timeoutMs} and ${this.deliveryTimeoutMs}`,
      );
    }
    this.partitioner = options.partitioner;
    this.lingerMs = options.lingerMs ?? DEFAULT_PRODUCER.lingerMs;
    this.batchMaxRecords = Math.min(
      options.batchMaxRecords ?? DEFAULT_PRODUCER.batchMaxRecords,
      CLIENT_LIMITS.batchRecordsMax,
    );
    this.batchMaxBytes = Math.min(
      options.batchMaxBytes ?? DEFAULT_PRODUCER.batchMaxBytes,
      CLIENT_LIMITS.batchBytesMax,
    );
    this.maxInFlight = options.maxInFlightPerBroker ?? CLIENT_LIMITS.inFlightPerBrokerMax;
    this.compression = options.compression ?? DEFAULT_PRODUCER.compression;
    if (!isSupportedCompression(this.compression)) {
      throw new TributaryError(
        'INVALID_REQUEST',
        `compression must be one of ${SUPPORTED_COMPRESSION.join(', ')}, got ${String(this.compression)}`,
      );
    }
    if (![-1, 0, 1].includes(this.acks)) {
      throw new TributaryError('INVALID_REQUIRED_ACKS', `acks must be all, -1, 0 or 1, got ${this.acks}`);
    }
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? systemRandom;
    this.sticky = new StickyPartitioner(this.random);
  }

  /**
   * Sends records and resolves with each one's partition and offset, in input order. All or nothing:
   * rejects with a TributaryError naming the first partition that failed (other partitions may have
   * been written). A non-retriable failure ends the send at once. Use sendWithResults() to learn which
   * records were acknowledged.
   */
  send(topic: string, records: readonly ProducerRecord[]): Promise<RecordMetadata[]> {
    if (records.length === 0) return Promise.resolve([]);
    const deadlineMs = this.clock.nowMs() + this.deliveryTimeoutMs;
    if (this.lingerMs <= 0) {
      return this.sendNow(topic, records, deadlineMs, true).then((results) => {
        const error = firstError(results);
        if (error !== undefined) throw error;
        return results as RecordMetadata[];
      });
    }
    return new Promise((resolve, reject) => {
      const settle = (results: RecordResult[]): void => {
        const error = firstError(results);
        if (error === undefined) resolve(results as RecordMetadata[]);
        else reject(error);
      };
      this.enqueue({ topic, records, deadlineMs, settle, reject });
    });
  }

  /**
   * Like send(), but reports each record's outcome in input order instead of failing as a whole: a
   * partition's non-retriable error, or the delivery timeout, becomes `{ error }` on that partition's
   * records while the other partitions carry on. Rejects only when nothing could be attempted (unknown
   * topic, metadata unreachable, a partition outside the topic, a bad custom partitioner result).
   */
  sendWithResults(topic: string, records: readonly ProducerRecord[]): Promise<RecordResult[]> {
    if (records.length === 0) return Promise.resolve([]);
    const deadlineMs = this.clock.nowMs() + this.deliveryTimeoutMs;
    if (this.lingerMs <= 0) return this.sendNow(topic, records, deadlineMs, false);
    return new Promise((resolve, reject) => {
      this.enqueue({ topic, records, deadlineMs, settle: resolve, reject });
    });
  }

  /**
   * The streaming path for high throughput: all `records` in one batch to one partition (sticky when
   * none is given), one Produce call. Callers keep several in flight; the per-broker bound applies.
   */
  async sendBatch(
    topic: string,
    batch: { readonly partition?: number; readonly records: readonly RecordInput[] },
  ): Promise<BatchResult> {
    const deadlineMs = this.clock.nowMs() + this.deliveryTimeoutMs;
    const metadata = await this.deps.metadata.requireTopic(topic, this.requestTimeoutMs(deadlineMs));
    const numPartitions = metadata.partitions.length;
    const partition = batch.partition ?? this.sticky.partition(topic, { numPartitions });
    if (batch.partition === undefined) this.sticky.onNewBatch(topic, { numPartitions }, partition);
    const bytes = encodeRecordBatch({ records: batch.records, compression: this.compression });
    const delivery = await this.deliver(topic, new Map([[partition, bytes]]), deadlineMs, true);
    const error = delivery.errors.get(partition);
    if (error !== undefined) throw error;
    return {
      partition,
      baseOffset: delivery.offsets.get(partition) ?? -1,
      recordCount: batch.records.length,
    };
  }

  /** Sends whatever send() calls are lingering now. */
  flush(): void {
    this.flushQueued();
  }

  private enqueue(item: Queued): void {
    this.queued.push(item);
    const queuedRecords = this.queued.reduce((sum, queued) => sum + queued.records.length, 0);
    if (queuedRecords >= this.batchMaxRecords) this.flushQueued();
    else this.lingerTimer ??= setTimeout(() => this.flushQueued(), this.lingerMs);
  }

  /**
   * Lingering calls share one send per topic, under the earliest deadline among them. Each call is
   * settled from its own slice, so a failure on one partition fails only the calls with records there.
   */
  private flushQueued(): void {
    if (this.lingerTimer !== undefined) clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    const queued = this.queued;
    this.queued = [];
    const byTopic = new Map<string, Queued[]>();
    for (const item of queued) byTopic.set(item.topic, [...(byTopic.get(item.topic) ?? []), item]);
    for (const [topic, items] of byTopic) {
      const all = items.flatMap((item) => item.records);
      const deadlineMs = Math.min(...items.map((item) => item.deadlineMs));
      this.sendNow(topic, all, deadlineMs, false).then(
        (results) => {
          let start = 0;
          for (const item of items) {
            item.settle(results.slice(start, start + item.records.length));
            start += item.records.length;
          }
        },
        (error: unknown) => {
          for (const item of items) item.reject(error);
        },
      );
    }
  }

  /** A request's deadline: the request timeout, cut short by the delivery deadline. */
  private requestTimeoutMs(deadlineMs: number): number {
    return Math.max(1, Math.floor(Math.min(this.timeoutMs, deadlineMs - this.clock.nowMs())));
  }

  private async sendNow(
    topic: string,
    records: readonly ProducerRecord[],
    deadlineMs: number,
    stopOnFatal: boolean,
  ): Promise<RecordResult[]> {
    const metadata = await this.deps.metadata.requireTopic(topic, this.requestTimeoutMs(deadlineMs));
    const numPartitions = metadata.partitions.length;
    const keys = records.map((record) => toBytes(record.key));
    const values = records.map((record) => toBytes(record.value));
    const partitions = assignPartitions(
      topic,
      records.map((record, index) => ({
        key: keys[index] ?? null,
        value: values[index] ?? null,
        partition: record.partition,
      })),
      numPartitions,
      this.sticky,
      this.partitioner,
    );
    const wallMs = this.clock.wallMs();
    const inputs: RecordInput[] = records.map((record, index) => ({
      key: keys[index] ?? null,
      value: values[index] ?? null,
      headers: record.headers,
      timestampMs: wallMs,
    }));
    const groups = groupByPartition(partitions);
    const batches = new Map<number, Buffer>();
    for (const [partition, indexes] of groups) batches.set(partition, this.encodeGroup(inputs, indexes));
    const usedSticky = this.partitioner === undefined;
    if (usedSticky && records.some((record) => record.key === null && record.partition === undefined)) {
      // The sticky partition's batch is closed: the next keyless send goes elsewhere (KIP-480).
      const stickyPartition = this.sticky.partition(topic, { numPartitions });
      this.sticky.onNewBatch(topic, { numPartitions }, stickyPartition);
    }
    const delivery = await this.deliver(topic, batches, deadlineMs, stopOnFatal);
    const results: RecordResult[] = new Array(records.length);
    for (const [partition, indexes] of groups) {
      const base = delivery.offsets.get(partition);
      const error = delivery.errors.get(partition);
      assert(
        error !== undefined || base !== undefined,
        `${topic}-${partition} neither acknowledged nor failed`,
      );
      for (const [position, index] of indexes.entries()) {
        if (error !== undefined) results[index] = { error };
        else results[index] = { partition, offset: base === undefined || base < 0 ? -1 : base + position };
      }
    }
    return results;
  }

  /** One partition's records: one batch, or several back to back when a bound is exceeded. */
  private encodeGroup(inputs: readonly RecordInput[], indexes: readonly number[]): Buffer {
    const sizeOf = (index: number): number => {
      const input = inputs[index];
      return (input?.key?.length ?? 0) + (input?.value?.length ?? 0) + 16;
    };
    const chunks = chunkBySize(indexes, sizeOf, {
      maxRecords: this.batchMaxRecords,
      maxBytes: this.batchMaxBytes,
    });
    const encoded = chunks.map((chunk) =>
      encodeRecordBatch({
        records: chunk.map((index) => inputs[index] as RecordInput),
        compression: this.compression,
      }),
    );
    return encoded.length === 1 ? (encoded[0] as Buffer) : Buffer.concat(encoded);
  }

  /**
   * Delivers one encoded batch per partition and reports each partition's base offset or error.
   * Retries what failed retriably until the delivery deadline or the attempt bound; a non-retriable
   * failure settles that partition at once and, with `stopOnFatal`, abandons the rest.
   */
  private async deliver(
    topic: string,
    batches: ReadonlyMap<number, Buffer>,
    deadlineMs: number,
    stopOnFatal: boolean,
  ): Promise<Delivery> {
    const offsets = new Map<number, number>();
    const errors = new Map<number, TributaryError>();
    const pending = new Map(batches);
    const giveUp = (error: TributaryError): Delivery => {
      for (const partition of pending.keys()) errors.set(partition, error);
      return { offsets, errors };
    };
    let lastError: TributaryError | undefined;
    let attempts = 0;
    for (let round = 0; pending.size > 0; round++) {
      if (round > 0) {
        // The rest is abandoned, failing with the error that ended the send.
        const fatal = errors.values().next();
        if (stopOnFatal && fatal.done !== true) return giveUp(fatal.value);
        if (attempts >= CLIENT_LIMITS.attemptsMax) {
          return giveUp(attemptsExhausted(topic, pending.size, attempts, lastError));
        }
        const remainingMs = deadlineMs - this.clock.nowMs();
        if (remainingMs > 0) {
          await sleep(Math.min(remainingMs, backoffDelayMs(round - 1, DEFAULT_BACKOFF, this.random)));
        }
        if (deadlineMs - this.clock.nowMs() <= 0) {
          return giveUp(deliveryTimedOut(topic, pending.size, this.deliveryTimeoutMs, attempts, lastError));
        }
        // Stale-metadata errors (KafkaJS style) refresh before retrying; busy brokers are just retried.
        if (lastError === undefined || needsMetadataRefresh(lastError)) {
          try {
            await this.deps.metadata.refresh([topic], this.requestTimeoutMs(deadlineMs));
          } catch (error) {
            lastError = toError(error);
            continue;
          }
        }
      }
      // The refresh above may have used up the rest of the deadline: an attempt started now could only reach
      // the broker after this send has given up.
      if (round > 0 && deadlineMs - this.clock.nowMs() <= 0) {
        return giveUp(deliveryTimedOut(topic, pending.size, this.deliveryTimeoutMs, attempts, lastError));
      }
      attempts++;
      const byLeader = this.groupByLeader(topic, pending);
      if (byLeader.unknown !== undefined) lastError = byLeader.unknown;
      const outcomes = await Promise.all(
        [...byLeader.groups].map(([address, partitions]) =>
          this.produceTo(address, topic, partitions, pending, deadlineMs),
        ),
      );
      for (const outcome of outcomes) {
        for (const [partition, offset] of outcome.offsets) {
          offsets.set(partition, offset);
          pending.delete(partition);
        }
        for (const [partition, error] of outcome.fatal) {
          errors.set(partition, error);
          pending.delete(partition);
        }
        if (outcome.retriable !== undefined) lastError = outcome.retriable;
      }
    }
    return { offsets, errors };
  }

  private groupByLeader(
    topic: string,
    pending: ReadonlyMap<number, Buffer>,
  ): { groups: Map<string, number[]>; unknown: TributaryError | undefined } {
    const groups = new Map<string, number[]>();
    let unknown: TributaryError | undefined;
    for (const partition of pending.keys()) {
      const address = this.deps.metadata.leaderAddress(topic, partition);
      if (address === undefined) {
        unknown = new TributaryError('LEADER_NOT_AVAILABLE', `${topic}-${partition} has no known leader`);
        continue;
      }
      groups.set(address, [...(groups.get(address) ?? []), partition]);
    }
    return { groups, unknown };
  }

  /** One Produce call to one broker for several partitions of a topic. */
  private async produceTo(
    address: string,
    topic: string,
    partitions: readonly number[],
    pending: ReadonlyMap<number, Buffer>,
    deadlineMs: number,
  ): Promise<{
    offsets: Map<number, number>;
    fatal: Map<number, TributaryError>;
    retriable?: TributaryError;
  }> {
    const offsets = new Map<number, number>();
    const fatal = new Map<number, TributaryError>();
    const slots = this.slotsFor(address);
    await slots.acquire();
    try {
      const remainingMs = this.requestTimeoutMs(deadlineMs);
      const response = await unary(
        this.deps.connections.get(address),
        'Produce',
        {
          acks: this.acks,
          timeoutMs: remainingMs,
          topics: [
            {
              name: topic,
              partitions: partitions.map((p) => ({
                partition: p,
                records: pending.get(p) ?? Buffer.alloc(0),
              })),
            },
          ],
        },
        { deadlineMs: remainingMs },
      );
      let retriable: TributaryError | undefined;
      for (const result of response.results) {
        const error = partitionError(result.errorCode, result.errorMessage, `${topic}-${result.partition}`);
        if (error === undefined) offsets.set(result.partition, result.baseOffset);
        else if (!error.retriable) fatal.set(result.partition, error);
        else retriable = error;
      }
      if (this.acks === 0)
        for (const p of partitions) if (!offsets.has(p) && !fatal.has(p)) offsets.set(p, -1);
      return retriable === undefined ? { offsets, fatal } : { offsets, fatal, retriable };
    } catch (error) {
      const failure = toError(error);
      if (!failure.retriable) for (const p of partitions) fatal.set(p, failure);
      return failure.retriable ? { offsets, fatal, retriable: failure } : { offsets, fatal };
    } finally {
      slots.release();
    }
  }

  private slotsFor(address: string): Slots {
    let slots = this.slots.get(address);
    if (slots === undefined) {
      slots = new Slots(this.maxInFlight);
      this.slots.set(address, slots);
    }
    return slots;
  }
}

function deliveryTimedOut(
  topic: string,
  partitions: number,
  deliveryTimeoutMs: number,
  attempts: number,
  cause: TributaryError | undefined,
): TributaryError {
  const reason = cause === undefined ? 'no error seen' : cause.message;
  return new TributaryError(
    'REQUEST_TIMED_OUT',
    `${partitions} partition(s) of ${topic} not acknowledged within the ${deliveryTimeoutMs} ms delivery ` +
      `timeout after ${attempts} attempt(s); last error: ${reason}`,
    cause === undefined ? {} : { cause },
  );
}

function attemptsExhausted(
  topic: string,
  partitions: number,
  attempts: number,
  cause: TributaryError | undefined,
): TributaryError {
  const reason = cause === undefined ? 'no error seen' : cause.message;
  return new TributaryError(
    cause?.code ?? 'REQUEST_TIMED_OUT',
    `${partitions} partition(s) of ${topic} not acknowledged after ${attempts} attempt(s), the most allowed; ` +
      `last error: ${reason}`,
    cause === undefined ? {} : { cause },
  );
}
