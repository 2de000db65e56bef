/**
 * The delivery loop of the producer: one Produce call per leader broker for a round of encoded batches,
 * retries of retriable failures (after a metadata refresh where the code says the view is stale) with
 * jittered backoff until the delivery deadline or the attempt bound. With idempotence the batches get
 * their producer id and sequences when a round is encoded, and every retry resends the same bytes.
 */
import { type Clock, type Random, TributaryError } from '@tributary/core';
import { backoffDelayMs, DEFAULT_BACKOFF } from '@tributary/protocol';
import { encodeRecordBatch, type RecordInput, type SupportedCompression } from '@tributary/records';
import { type BrokerConnections, Slots } from './connections.js';
import { encodeSequenced, type Idempotence, type ProducerSession } from './idempotence.js';
import { LeaderWatch } from './leader-watch.js';
import { CLIENT_LIMITS } from './limits.js';
import type { MetadataCache } from './metadata-cache.js';
import { needsMetadataRefresh, partitionError, sleep, toError } from './retry.js';

/** Per-partition outcome of deliver(): every partition asked for ends in exactly one of the two maps. */
export interface Delivery {
  readonly offsets: Map<number, number>;
  readonly errors: Map<number, TributaryError>;
}

/** What deliver() tells the idempotence layer, and asks it. */
interface DeliveryHooks {
  /** Whether a non-retriable error on this partition should be retried anyway. */
  readonly retryAnyway: (partition: number, error: TributaryError) => boolean;
  /** Called once per partition, when it is acknowledged or given up. */
  readonly settled: (partition: number, outcome: 'acknowledged' | 'failed') => void;
}

/** One round's records per partition: the chunks, each to be one batch. */
export type Payloads = ReadonlyMap<number, readonly (readonly RecordInput[])[]>;

export interface DelivererOptions {
  readonly metadata: MetadataCache;
  readonly connections: BrokerConnections;
  readonly clock: Clock;
  readonly random: Random;
  /** -1, 0 or 1. */
  readonly acks: number;
  /** Deadline of one request. */
  readonly timeoutMs: number;
  readonly deliveryTimeoutMs: number;
  /** Produce calls in flight per broker. */
  readonly maxInFlight: number;
  readonly compression: SupportedCompression;
  /** Undefined when idempotence is off. */
  readonly idempotence: Idempotence | undefined;
  /**
   * A transactional producer's id: its batches carry the transactional attribute (needs idempotence) and
   * its Produce requests name the id, with which the leader verifies that the partition was added to the
   * transaction (KIP-890 part 1). Undefined for other producers.
   */
  readonly transactionalId?: string;
}

export class Deliverer {
  private readonly slots = new Map<string, Slots>();
  private readonly acks: number;
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly deliveryTimeoutMs: number;
  private readonly maxInFlight: number;
  private readonly compression: SupportedCompression;
  private readonly idempotence: Idempotence | undefined;
  private readonly deps: { readonly metadata: MetadataCache; readonly connections: BrokerConnections };
  private readonly leaderWatch: LeaderWatch;

  constructor(private readonly options: DelivererOptions) {
    this.acks = options.acks;
    this.clock = options.clock;
    this.random = options.random;
    this.deliveryTimeoutMs = options.deliveryTimeoutMs;
    this.maxInFlight = options.maxInFlight;
    this.compression = options.compression;
    this.idempotence = options.idempotence;
    this.deps = { metadata: options.metadata, connections: options.connections };
    this.leaderWatch = new LeaderWatch({ metadata: options.metadata });
  }

  /** A request's deadline: the request timeout, cut short by the delivery deadline. */
  private requestTimeoutMs(deadlineMs: number): number {
    return Math.max(1, Math.floor(Math.min(this.options.timeoutMs, deadlineMs - this.clock.nowMs())));
  }

  /**
   * Encodes and delivers one round: each partition's chunks as back-to-back batches in one Produce entry.
   * With idempotence, window slots are reserved first and the batches get their sequences here, once:
   * every retry resends these bytes.
   */
  async deliverRound(
    topic: string,
    payloads: Payloads,
    deadlineMs: number,
    stopOnFatal: boolean,
  ): Promise<Delivery> {
    const idempotence = this.idempotence;
    if (idempotence === undefined) {
      const batches = new Map<number, Buffer>();
      for (const [partition, chunks] of payloads) {
        const encoded = chunks.map((records) =>
          encodeRecordBatch({ records, compression: this.compression }),
        );
        batches.set(partition, encoded.length === 1 ? (encoded[0] as Buffer) : Buffer.concat(encoded));
      }
      return this.deliver(topic, batches, deadlineMs, stopOnFatal);
    }
    const counts = new Map([...payloads].map(([partition, chunks]) => [partition, chunks.length]));
    const encode = (session: ProducerSession) => {
      const sequenced = encodeSequenced({
        topic,
        payloads,
        session,
        compression: this.compression,
        isTransactional: this.options.transactionalId !== undefined,
        onEncodeError: () => idempotence.reset(session),
      });
      return { session, sequenced };
    };
    // An encoding error (a bad record) rejects the send, as without idempotence; no producer id or no room
    // in the window before the deadline fails the round's partitions instead.
    let encodeError: unknown;
    const encodeOrNote = (session: ProducerSession): ReturnType<typeof encode> | undefined => {
      try {
        return encode(session);
      } catch (error) {
        encodeError = error;
        return undefined;
      }
    };
    let encoded: ReturnType<typeof encode> | undefined;
    try {
      encoded = await idempotence.acquire(topic, counts, deadlineMs, encodeOrNote);
    } catch (error) {
      const failure = toError(error);
      return { offsets: new Map(), errors: new Map([...payloads.keys()].map((p) => [p, failure])) };
    }
    if (encoded === undefined) throw encodeError;
    const { session, sequenced } = encoded;
    return this.deliver(topic, sequenced.batches, deadlineMs, stopOnFatal, {
      retryAnyway: (partition, error) => sequenced.retryAnyway(partition, error),
      settled: (partition, outcome) => {
        sequenced.settle(partition, outcome);
        if (outcome === 'failed') idempotence.reset(session);
      },
    });
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
    hooks?: DeliveryHooks,
  ): Promise<Delivery> {
    const offsets = new Map<number, number>();
    const errors = new Map<number, TributaryError>();
    const pending = new Map(batches);
    const giveUp = (error: TributaryError): Delivery => {
      for (const partition of pending.keys()) {
        errors.set(partition, error);
        hooks?.settled(partition, 'failed');
      }
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
          this.produceTo({ address, topic, partitions, pending, deadlineMs, hooks }),
        ),
      );
      for (const outcome of outcomes) {
        for (const [partition, offset] of outcome.offsets) {
          offsets.set(partition, offset);
          pending.delete(partition);
          hooks?.settled(partition, 'acknowledged');
        }
        for (const [partition, error] of outcome.fatal) {
          errors.set(partition, error);
          pending.delete(partition);
          hooks?.settled(partition, 'failed');
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
  private async produceTo(call: {
    readonly address: string;
    readonly topic: string;
    readonly partitions: readonly number[];
    readonly pending: ReadonlyMap<number, Buffer>;
    readonly deadlineMs: number;
    readonly hooks: DeliveryHooks | undefined;
  }): Promise<{
    offsets: Map<number, number>;
    fatal: Map<number, TributaryError>;
    retriable?: TributaryError;
  }> {
    const { address, topic, partitions, pending, deadlineMs, hooks } = call;
    const offsets = new Map<number, number>();
    const fatal = new Map<number, TributaryError>();
    const slots = this.slotsFor(address);
    await slots.acquire();
    // Aborted when the metadata shows another leader for one of the partitions while the request waits:
    // the request is then retried on the new leader instead of waiting out its timeout (leader-watch.ts).
    const leaderMoved = new AbortController();
    let stopWatching: (() => void) | undefined;
    try {
      // KIP-219: a broker that throttled this client is not sent to before its throttle time has passed.
      await this.deps.connections.throttles.wait(address);
      stopWatching = this.leaderWatch.watch({
        topic,
        partitions,
        address,
        onMoved: (error) => leaderMoved.abort(error),
      });
      const remainingMs = this.requestTimeoutMs(deadlineMs);
      const response = await this.deps.connections.produce(
        address,
        {
          acks: this.acks,
          // The broker refuses a longer acknowledgement wait; the call's own deadline may still be longer.
          timeoutMs: Math.min(remainingMs, CLIENT_LIMITS.produceTimeoutMsMax),
          transactionalId: this.options.transactionalId ?? '',
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
        remainingMs,
        leaderMoved.signal,
      );
      this.deps.connections.throttles.note(address, response.throttleTimeMs);
      let retriable: TributaryError | undefined;
      for (const result of response.results) {
        const error = partitionError(result.errorCode, result.errorMessage, `${topic}-${result.partition}`);
        if (error === undefined) offsets.set(result.partition, result.baseOffset);
        else if (!error.retriable && hooks?.retryAnyway(result.partition, error) !== true) {
          fatal.set(result.partition, error);
        } else retriable = error;
      }
      if (this.acks === 0)
        for (const p of partitions) if (!offsets.has(p) && !fatal.has(p)) offsets.set(p, -1);
      return retriable === undefined ? { offsets, fatal } : { offsets, fatal, retriable };
    } catch (error) {
      const failure = toError(error);
      if (!failure.retriable) for (const p of partitions) fatal.set(p, failure);
      return failure.retriable ? { offsets, fatal, retriable: failure } : { offsets, fatal };
    } finally {
      stopWatching?.();
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
