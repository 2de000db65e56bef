/**
 * The producer shell: partitions records, encodes one batch per partition, sends one Produce call per
 * leader broker, and retries retriable failures (after a metadata refresh where the code says the view
 * is stale) with jittered backoff until the delivery deadline. Per DESIGN §8 a unary call costs ~150 µs of CPU,
 * so work is per batch and per call, never per record.
 *
 * Idempotence (on by default with acks=all, as in Kafka 3): the producer takes a producer id from
 * Broker.InitProducerId on its first send and stamps every batch with it and with consecutive per-partition
 * sequence numbers when the batch is encoded. A retry resends the very same bytes, so a batch whose
 * response was lost after the leader appended it is answered as a duplicate with its original offset:
 * retries never write a record twice, and the batches of one partition are appended in the order they
 * were encoded. At most IDEMPOTENCE_LIMITS.unacknowledgedBatchesMax batches per partition are unacknowledged
 * at once (counted from the oldest), because the leader remembers only that many per producer.
 *
 * The reset rule: when a batch fails definitively (a non-retriable error, OUT_OF_ORDER_SEQUENCE_NUMBER
 * with no earlier batch of its partition still unacknowledged, INVALID_PRODUCER_EPOCH, the delivery
 * timeout or the attempt bound) its records may or may not be in the log, and the partition's sequence
 * space can no longer be trusted. The producer then ends its session: later sends obtain a new producer
 * id and start every partition at sequence 0. Ordering consequences: batches of that partition already
 * encoded under the old id (in flight or waiting for a retry) fail too, with OUT_OF_ORDER_SEQUENCE_NUMBER,
 * unless the failed batch did reach the log; and since the old and new ids are separate sequence spaces,
 * records sent after the reset may be appended before such an old batch. No record is ever written twice:
 * an acknowledged send is in the log exactly once, a failed send's records at most once.
 */
import { assert, type Clock, type Random, systemClock, systemRandom, TributaryError } from '@tributary/core';
import {
  isSupportedCompression,
  type RecordHeader,
  type RecordInput,
  StickyPartitioner,
  SUPPORTED_COMPRESSION,
  type SupportedCompression,
} from '@tributary/records';
import type { BrokerConnections } from './connections.js';
import { Deliverer } from './delivery.js';
import { Idempotence, initProducerId } from './idempotence.js';
import { CLIENT_LIMITS, DEFAULT_PRODUCER, IDEMPOTENCE_LIMITS, TRANSACTION_LIMITS } from './limits.js';
import type { MetadataCache } from './metadata-cache.js';
import { assignPartitions, type CustomPartitioner, chunkBySize, groupByPartition } from './partitioning.js';
import {
  createTransactionManager,
  type Transaction,
  type TransactionDeps,
  type TransactionManager,
} from './transaction.js';

export type Acks = 'all' | -1 | 0 | 1;

export interface ProducerOptions {
  /** Default 'all'. */
  readonly acks?: Acks;
  /**
   * Stamp batches with a producer id and sequence numbers so that retries never duplicate or reorder
   * records (see the class comment for the reset rule). Needs acks=all: true with acks 0 or 1 is refused;
   * unset, it is on exactly when acks is all.
   */
  readonly idempotent?: boolean;
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
  /**
   * Makes the producer transactional (KIP-98): sends happen only inside `producer.transaction()`, and
   * read_committed consumers see them once the transaction commits. Implies idempotence and acks=all
   * (anything else is refused). The id names the producer across restarts: a new instance fences the old.
   */
  readonly transactionalId?: string;
  /** Kafka's transaction.timeout.ms (default 60,000): the coordinator aborts a transaction open longer. */
  readonly transactionTimeoutMs?: number;
}

export interface ProducerRecord {
  /** Records with the same key go to the same partition (murmur2); none or null: spread (sticky). */
  readonly key?: Uint8Array | string | null;
  readonly value: Uint8Array | string | null;
  readonly headers?: readonly RecordHeader[];
  readonly partition?: number;
  /** Milliseconds since the Unix epoch (CreateTime); default: when send() encodes the record. */
  readonly timestamp?: number;
}

/** KafkaJS's shape of a send: `producer.send({ topic, messages })`. */
export interface ProduceRequest {
  readonly topic: string;
  readonly messages: readonly ProducerRecord[];
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
  /** The coordinators of a transactional producer (required with `transactionalId`). */
  readonly transactions?: TransactionDeps;
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

/** All-or-nothing view of per-record results, for send(): the first failure, in input order. */
function firstError(results: readonly RecordResult[]): TributaryError | undefined {
  for (const result of results) if ('error' in result) return result.error;
  return undefined;
}

function toBytes(value: Uint8Array | string | null | undefined): Uint8Array | null {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : (value ?? null);
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
  /** Undefined when idempotence is off. */
  private readonly idempotence: Idempotence | undefined;
  /** Undefined unless the producer has a transactionalId. */
  private readonly transactions: TransactionManager | undefined;
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly sticky: StickyPartitioner;
  private readonly deliverer: Deliverer;
  private queued: Queued[] = [];
  private lingerTimer: NodeJS.Timeout | undefined;
  /**
   * The topic lookups of sends, chained in call order: a send's batches get their sequences (are encoded)
   * after its lookup, so a lookup that has to ask a broker (the topic not cached, or dropped from the cache
   * by a refresh during a failover) must not let a later send's batches be encoded first. With idempotence
   * the partition's leader appends in sequence order, so that would reorder the records of two sends.
   */
  private lookupChain: Promise<unknown> = Promise.resolve();

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
    this.transactions = this.makeTransactions(options);
    this.idempotence = this.makeIdempotence(options.idempotent);
    this.deliverer = new Deliverer({
      metadata: deps.metadata,
      connections: deps.connections,
      clock: this.clock,
      random: this.random,
      acks: this.acks,
      timeoutMs: this.timeoutMs,
      deliveryTimeoutMs: this.deliveryTimeoutMs,
      maxInFlight: this.maxInFlight,
      compression: this.compression,
      idempotence: this.idempotence,
      ...(this.transactions === undefined ? {} : { transactionalId: this.transactions.transactionalId }),
    });
  }

  /** Whether batches carry a producer id and sequences (see ProducerOptions.idempotent). */
  get idempotent(): boolean {
    return this.idempotence !== undefined;
  }

  /** How many times a definitive failure ended the producer session (0 when idempotence is off). */
  get sessionResets(): number {
    return this.idempotence?.resets ?? 0;
  }

  /** The transactional id, when the producer is transactional. */
  get transactionalId(): string | undefined {
    return this.transactions?.transactionalId;
  }

  /**
   * InitTransactions (a transactional producer only): gets the producer id and a new epoch, fencing older
   * producers with the same transactional id and aborting their open transaction. Called by the first
   * transaction() when not called before.
   */
  initTransactions(): Promise<void> {
    return this.requireTransactions().initTransactions();
  }

  /** Opens a transaction (KafkaJS's producer.transaction()); one at a time per producer. */
  async transaction(): Promise<Transaction> {
    const manager = this.requireTransactions();
    await manager.begin();
    let ended = false;
    const end = async (outcome: Promise<void>): Promise<void> => {
      await outcome;
      ended = true;
    };
    return {
      send: ((topicOrRequest: string | ProduceRequest, records?: readonly ProducerRecord[]) =>
        typeof topicOrRequest === 'string'
          ? this.send(topicOrRequest, records ?? [])
          : this.send(topicOrRequest)) as Transaction['send'],
      sendOffsets: (request) => manager.sendOffsets(request),
      commit: () => end(manager.commit()),
      abort: () => end(manager.abort()),
      isActive: () => !ended && manager.machine.isActive,
    };
  }

  private requireTransactions(): TransactionManager {
    if (this.transactions === undefined) {
      throw new TributaryError(
        'INVALID_TXN_STATE',
        'transactions need a producer made with a transactionalId',
      );
    }
    return this.transactions;
  }

  private makeTransactions(options: ProducerOptions): TransactionManager | undefined {
    if (options.transactionalId === undefined) return undefined;
    if (this.acks !== -1 || options.idempotent === false) {
      throw new TributaryError(
        'INVALID_REQUEST',
        `a transactional producer is idempotent with acks=all, got acks=${this.acks}` +
          (options.idempotent === false ? ' and idempotent: false' : ''),
      );
    }
    const deps = this.deps.transactions;
    if (deps === undefined) {
      throw new TributaryError('INVALID_REQUEST', 'a transactional producer needs transaction coordinators');
    }
    return createTransactionManager(deps, {
      transactionalId: options.transactionalId,
      transactionTimeoutMs: options.transactionTimeoutMs ?? TRANSACTION_LIMITS.transactionTimeoutMsDefault,
      clock: this.clock,
      random: this.random,
      requestTimeoutMs: this.timeoutMs,
      operationTimeoutMs: this.deliveryTimeoutMs,
      sessionResets: () => this.sessionResets,
      flush: () => this.flush(),
    });
  }

  private makeIdempotence(requested: boolean | undefined): Idempotence | undefined {
    // Kafka's rule: idempotence needs acks=all (a batch acknowledged by the leader alone could be lost
    // in a failover and then rewritten under the same sequence).
    if (requested === true && this.acks !== -1) {
      throw new TributaryError(
        'INVALID_REQUEST',
        `idempotent: true needs acks=all, got acks=${this.acks}; set idempotent: false to use acks=${this.acks}`,
      );
    }
    if (!(requested ?? this.acks === -1)) return undefined;
    const deps = {
      metadata: this.deps.metadata,
      connections: this.deps.connections,
      clock: this.clock,
      random: this.random,
      requestTimeoutMs: this.timeoutMs,
    };
    const transactions = this.transactions;
    return new Idempotence({
      // A transactional producer's id and epoch come from its transaction coordinator (InitTransactions).
      initProducerId: (topic, deadlineMs) =>
        transactions === undefined ? initProducerId(deps, topic, deadlineMs) : transactions.sessionIdentity(),
      windowMax: IDEMPOTENCE_LIMITS.unacknowledgedBatchesMax,
      clock: this.clock,
    });
  }

  /**
   * Sends records and resolves with each one's partition and offset, in input order. All or nothing:
   * rejects with a TributaryError naming the first partition that failed (other partitions may have
   * been written). A non-retriable failure ends the send at once. Use sendWithResults() to learn which
   * records were acknowledged.
   */
  send(request: ProduceRequest): Promise<RecordMetadata[]>;
  send(topic: string, records: readonly ProducerRecord[]): Promise<RecordMetadata[]>;
  send(
    topicOrRequest: string | ProduceRequest,
    maybeRecords: readonly ProducerRecord[] = [],
  ): Promise<RecordMetadata[]> {
    const topic = typeof topicOrRequest === 'string' ? topicOrRequest : topicOrRequest.topic;
    const records = typeof topicOrRequest === 'string' ? maybeRecords : topicOrRequest.messages;
    const transactions = this.transactions;
    if (transactions !== undefined) {
      // Only inside a transaction, and commit() waits for it; a failure leaves the transaction abortable.
      try {
        transactions.requireSend();
      } catch (error) {
        return Promise.reject(error);
      }
      return transactions.track(this.sendAll(topic, records));
    }
    return this.sendAll(topic, records);
  }

  private sendAll(topic: string, records: readonly ProducerRecord[]): Promise<RecordMetadata[]> {
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
    // Per-record outcomes do not fit a transaction's all-or-nothing rule: use transaction().send().
    if (this.transactions !== undefined) {
      return Promise.reject(
        new TributaryError('INVALID_TXN_STATE', 'a transactional producer sends with transaction().send()'),
      );
    }
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
    if (this.transactions !== undefined) {
      throw new TributaryError(
        'INVALID_TXN_STATE',
        'a transactional producer sends with transaction().send()',
      );
    }
    const deadlineMs = this.clock.nowMs() + this.deliveryTimeoutMs;
    const metadata = await this.deps.metadata.requireTopic(topic, this.requestTimeoutMs(deadlineMs));
    const numPartitions = metadata.partitions.length;
    const partition = batch.partition ?? this.nextStickyPartition(topic, numPartitions);
    const delivery = await this.deliverer.deliverRound(
      topic,
      new Map([[partition, [batch.records]]]),
      deadlineMs,
      true,
    );
    const error = delivery.errors.get(partition);
    if (error !== undefined) throw error;
    return {
      partition,
      baseOffset: delivery.offsets.get(partition) ?? -1,
      recordCount: batch.records.length,
    };
  }

  /**
   * The sticky partition for a keyless batch, moving on for the next one (KIP-480). With idempotence a
   * partition whose window of unacknowledged batches is full would make the batch wait while others are
   * idle, so the next partition with room is taken instead (as KIP-794's adaptive partitioning avoids busy
   * ones); when none has room, the sticky choice waits its turn.
   */
  private nextStickyPartition(topic: string, numPartitions: number): number {
    const sticky = this.sticky.partition(topic, { numPartitions });
    let chosen = sticky;
    const idempotence = this.idempotence;
    if (idempotence !== undefined && !idempotence.hasRoom(topic, sticky)) {
      for (let step = 1; step < numPartitions; step++) {
        const candidate = (sticky + step) % numPartitions;
        if (idempotence.hasRoom(topic, candidate)) {
          chosen = candidate;
          break;
        }
      }
    }
    this.sticky.onNewBatch(topic, { numPartitions }, sticky);
    return chosen;
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
    const lookup = this.lookupChain.then(() =>
      this.deps.metadata.requireTopic(topic, this.requestTimeoutMs(deadlineMs)),
    );
    this.lookupChain = lookup.catch(() => undefined);
    const metadata = await lookup;
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
      timestampMs: record.timestamp ?? wallMs,
    }));
    const groups = groupByPartition(partitions);
    // KIP-98: every partition is added to the transaction before its first transactional batch is written.
    await this.transactions?.addPartitions(topic, [...groups.keys()]);
    const chunked = new Map<number, number[][]>();
    for (const [partition, indexes] of groups) chunked.set(partition, this.chunkGroup(inputs, indexes));
    const usedSticky = this.partitioner === undefined;
    if (
      usedSticky &&
      records.some((record) => (record.key ?? null) === null && record.partition === undefined)
    ) {
      // The sticky partition's batch is closed: the next keyless send goes elsewhere (KIP-480).
      const stickyPartition = this.sticky.partition(topic, { numPartitions });
      this.sticky.onNewBatch(topic, { numPartitions }, stickyPartition);
    }
    const results: RecordResult[] = new Array(records.length);
    const failed = new Map<number, TributaryError>();
    let stopError: TributaryError | undefined;
    for (let round = 0; stopError === undefined; round++) {
      const payloads = this.roundOf(chunked, round, failed);
      if (payloads.size === 0) break;
      const delivery = await this.deliverer.deliverRound(
        topic,
        new Map(
          [...payloads].map(([p, chunks]) => [p, chunks.map((c) => c.map((i) => inputs[i] as RecordInput))]),
        ),
        deadlineMs,
        stopOnFatal,
      );
      for (const [partition, chunks] of payloads) {
        const base = delivery.offsets.get(partition);
        const error = delivery.errors.get(partition);
        assert(
          error !== undefined || base !== undefined,
          `${topic}-${partition} neither acknowledged nor failed`,
        );
        if (error !== undefined) {
          failed.set(partition, error);
          if (stopOnFatal) stopError ??= error;
        }
        let position = 0;
        for (const index of chunks.flat()) {
          if (error !== undefined) results[index] = { error };
          else results[index] = { partition, offset: base === undefined || base < 0 ? -1 : base + position };
          position++;
        }
      }
    }
    // Records of later rounds never sent: their partition failed earlier, or the send stopped at a failure.
    for (const [partition, chunks] of chunked) {
      for (const index of chunks.flat()) {
        const error = failed.get(partition) ?? stopError;
        if (results[index] === undefined && error !== undefined) results[index] = { error };
      }
    }
    return results;
  }

  /** One partition's records as chunks of indexes, each within the batch bounds. */
  private chunkGroup(inputs: readonly RecordInput[], indexes: readonly number[]): number[][] {
    const sizeOf = (index: number): number => {
      const input = inputs[index];
      return (input?.key?.length ?? 0) + (input?.value?.length ?? 0) + 16;
    };
    return chunkBySize(indexes, sizeOf, {
      maxRecords: this.batchMaxRecords,
      maxBytes: this.batchMaxBytes,
    });
  }

  /**
   * The chunks each partition sends in `round`. Without idempotence all of them go at once (one round);
   * with it at most a window's worth per partition, since more could never be unacknowledged together.
   */
  private roundOf(
    chunked: ReadonlyMap<number, number[][]>,
    round: number,
    failed: ReadonlyMap<number, TributaryError>,
  ): Map<number, number[][]> {
    const perRound = IDEMPOTENCE_LIMITS.unacknowledgedBatchesMax;
    const payloads = new Map<number, number[][]>();
    for (const [partition, chunks] of chunked) {
      if (failed.has(partition)) continue;
      let slice: number[][];
      if (this.idempotence === undefined) slice = round === 0 ? chunks : [];
      else slice = chunks.slice(round * perRound, (round + 1) * perRound);
      if (slice.length > 0) payloads.set(partition, slice);
    }
    return payloads;
  }
}
