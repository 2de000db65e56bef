/**
 * The producer shell: partitions records, encodes one batch per partition, sends one Produce call per
 * leader broker, and retries retriable failures (after a metadata refresh where the code says the view
 * is stale) with jittered backoff until the deadline. Per DESIGN §8 a unary call costs ~150 µs of CPU,
 * so work is per batch and per call, never per record.
 */
import { type Clock, type Random, systemClock, systemRandom, TributaryError } from '@tributary/core';
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
import { assignPartitions, chunkBySize, groupByPartition } from './partitioning.js';
import { needsMetadataRefresh, partitionError, sleep, toError } from './retry.js';

export type Acks = 'all' | -1 | 0 | 1;

export interface ProducerOptions {
  readonly acks?: Acks;
  /** Overall deadline of one send, retries included. */
  readonly timeoutMs?: number;
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
  readonly resolve: (result: RecordMetadata[]) => void;
  readonly reject: (error: unknown) => void;
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
   * Sends records and resolves with each one's partition and offset, in input order. Rejects with a
   * TributaryError naming the first partition that failed (other partitions may have been written).
   */
  send(topic: string, records: readonly ProducerRecord[]): Promise<RecordMetadata[]> {
    if (records.length === 0) return Promise.resolve([]);
    if (this.lingerMs <= 0) return this.sendNow(topic, records);
    return new Promise((resolve, reject) => {
      this.queued.push({ topic, records, resolve, reject });
      const queuedRecords = this.queued.reduce((sum, item) => sum + item.records.length, 0);
      if (queuedRecords >= this.batchMaxRecords) this.flushQueued();
      else this.lingerTimer ??= setTimeout(() => this.flushQueued(), this.lingerMs);
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
    const metadata = await this.deps.metadata.requireTopic(topic, this.timeoutMs);
    const numPartitions = metadata.partitions.length;
    const partition = batch.partition ?? this.sticky.partition(topic, { numPartitions });
    if (batch.partition === undefined) this.sticky.onNewBatch(topic, { numPartitions }, partition);
    const bytes = encodeRecordBatch({ records: batch.records, compression: this.compression });
    const offsets = await this.deliver(topic, new Map([[partition, bytes]]));
    return { partition, baseOffset: offsets.get(partition) ?? -1, recordCount: batch.records.length };
  }

  /** Sends whatever send() calls are lingering now. */
  flush(): void {
    this.flushQueued();
  }

  private flushQueued(): void {
    if (this.lingerTimer !== undefined) clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    const queued = this.queued;
    this.queued = [];
    const byTopic = new Map<string, Queued[]>();
    for (const item of queued) byTopic.set(item.topic, [...(byTopic.get(item.topic) ?? []), item]);
    for (const [topic, items] of byTopic) {
      const all = items.flatMap((item) => item.records);
      this.sendNow(topic, all).then(
        (results) => {
          let start = 0;
          for (const item of items) {
            item.resolve(results.slice(start, start + item.records.length));
            start += item.records.length;
          }
        },
        (error: unknown) => {
          for (const item of items) item.reject(error);
        },
      );
    }
  }

  private async sendNow(topic: string, records: readonly ProducerRecord[]): Promise<RecordMetadata[]> {
    const metadata = await this.deps.metadata.requireTopic(topic, this.timeoutMs);
    const numPartitions = metadata.partitions.length;
    const keys = records.map((record) => toBytes(record.key));
    const partitions = assignPartitions(
      topic,
      records.map((record, index) => ({ key: keys[index] ?? null, partition: record.partition })),
      numPartitions,
      this.sticky,
    );
    const wallMs = this.clock.wallMs();
    const inputs: RecordInput[] = records.map((record, index) => ({
      key: keys[index] ?? null,
      value: toBytes(record.value),
      headers: record.headers,
      timestampMs: wallMs,
    }));
    const groups = groupByPartition(partitions);
    const batches = new Map<number, Buffer>();
    for (const [partition, indexes] of groups) batches.set(partition, this.encodeGroup(inputs, indexes));
    if (records.some((record) => record.key === null && record.partition === undefined)) {
      // The sticky partition's batch is closed: the next keyless send goes elsewhere (KIP-480).
      const stickyPartition = this.sticky.partition(topic, { numPartitions });
      this.sticky.onNewBatch(topic, { numPartitions }, stickyPartition);
    }
    const baseOffsets = await this.deliver(topic, batches);
    const results: RecordMetadata[] = new Array(records.length);
    for (const [partition, indexes] of groups) {
      const base = baseOffsets.get(partition) ?? -1;
      for (const [position, index] of indexes.entries()) {
        results[index] = { partition, offset: base < 0 ? -1 : base + position };
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
   * Delivers one encoded batch per partition; resolves with each partition's base offset. Retries
   * what failed retriably until the deadline; a non-retriable failure ends the send at once.
   */
  private async deliver(topic: string, batches: ReadonlyMap<number, Buffer>): Promise<Map<number, number>> {
    const deadlineMs = this.clock.nowMs() + this.timeoutMs;
    const done = new Map<number, number>();
    const pending = new Map(batches);
    let lastError: TributaryError | undefined;
    for (let round = 0; pending.size > 0; round++) {
      if (round > 0) {
        const remainingMs = deadlineMs - this.clock.nowMs();
        if (remainingMs <= 0 || round >= CLIENT_LIMITS.attemptsMax) {
          throw deliveryFailure(topic, pending.size, lastError);
        }
        await sleep(Math.min(remainingMs, backoffDelayMs(round - 1, DEFAULT_BACKOFF, this.random)));
        // Stale-metadata errors (KafkaJS style) refresh before retrying; busy brokers are just retried.
        if (lastError === undefined || needsMetadataRefresh(lastError)) {
          try {
            await this.deps.metadata.refresh([topic], Math.max(1, deadlineMs - this.clock.nowMs()));
          } catch (error) {
            lastError = toError(error);
            continue;
          }
        }
      }
      const byLeader = this.groupByLeader(topic, pending);
      if (byLeader.unknown !== undefined) lastError = byLeader.unknown;
      const outcomes = await Promise.all(
        [...byLeader.groups].map(([address, partitions]) =>
          this.produceTo(address, topic, partitions, pending, deadlineMs),
        ),
      );
      for (const outcome of outcomes) {
        for (const [partition, offset] of outcome.offsets) {
          done.set(partition, offset);
          pending.delete(partition);
        }
        if (outcome.fatal !== undefined) throw outcome.fatal;
        if (outcome.retriable !== undefined) lastError = outcome.retriable;
      }
    }
    return done;
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
  ): Promise<{ offsets: Map<number, number>; fatal?: TributaryError; retriable?: TributaryError }> {
    const offsets = new Map<number, number>();
    const slots = this.slotsFor(address);
    await slots.acquire();
    try {
      const remainingMs = Math.max(1, Math.floor(deadlineMs - this.clock.nowMs()));
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
        else if (!error.retriable) return { offsets, fatal: error };
        else retriable = error;
      }
      if (this.acks === 0) for (const p of partitions) if (!offsets.has(p)) offsets.set(p, -1);
      return retriable === undefined ? { offsets } : { offsets, retriable };
    } catch (error) {
      const failure = toError(error);
      if (!failure.retriable) return { offsets, fatal: failure };
      return { offsets, retriable: failure };
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

function deliveryFailure(
  topic: string,
  partitions: number,
  cause: TributaryError | undefined,
): TributaryError {
  const reason = cause === undefined ? 'deadline passed' : cause.message;
  return new TributaryError(
    cause?.code ?? 'REQUEST_TIMED_OUT',
    `${partitions} partition(s) of ${topic} not acknowledged before the deadline: ${reason}`,
    cause === undefined ? {} : { cause },
  );
}
