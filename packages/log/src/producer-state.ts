/**
 * Idempotent producer state of one partition (Kafka's ProducerStateManager and ProducerAppendInfo): per
 * producer id, its epoch and the last few batches it appended, so the leader can answer a retried batch
 * with the offsets it got the first time, and refuse a batch that would leave a gap in the sequence.
 *
 * Pure and synchronous: time comes in as `nowMs` (the log's monotonic clock), nothing touches the disk.
 * An append works on a scratch copy (`beginAppend`) that is committed only after the write succeeded, so a
 * failed write leaves the state as it was.
 */
import { assert } from '@tributary/core';
import { LogAppendError } from './append-validation.js';
import { LOG_LIMITS } from './limits.js';

/** Kafka's RecordBatch.NO_PRODUCER_ID: a batch from a producer that is not idempotent. */
export const NO_PRODUCER_ID = -1;
/** Sequences are int32 and wrap from 2^31 - 1 back to 0 (Kafka's DefaultRecordBatch.incrementSequence). */
export const SEQUENCE_MAX = 0x7fff_ffff;
const PRODUCER_EPOCH_MAX = 0x7fff;

/** The producer fields of one batch plus the offsets it occupies (or would occupy) in the log. */
export interface ProducerBatch {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
}

/** What the state keeps of one appended batch. */
export interface BatchMetadata {
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
}

export interface ProducerEntry {
  readonly producerId: number;
  readonly producerEpoch: number;
  /** Oldest first; at most LOG_LIMITS.producerBatchesRetained, all of `producerEpoch`. */
  readonly batches: readonly BatchMetadata[];
  /** The log clock when the producer last appended (or when the state was rebuilt), for expiry. */
  readonly lastUpdateMs: number;
}

/** A leader's verdict on one batch. */
export type ProducerCheck =
  | { readonly kind: 'not-idempotent' }
  | { readonly kind: 'new' }
  | { readonly kind: 'duplicate'; readonly firstOffset: number; readonly lastOffset: number };

export interface ProducerStateOptions {
  /** Producers idle longer than this are forgotten (Kafka: producer.id.expiration.ms). */
  readonly producerIdExpirationMs: number;
  /** Beyond this many producers the least recently used one is forgotten. */
  readonly producersMax?: number;
}

/** The sequence following `sequence`, wrapping at 2^31 - 1. */
export function nextSequence(sequence: number, increment = 1): number {
  assert(sequence >= 0 && sequence <= SEQUENCE_MAX && increment >= 0, 'sequence arithmetic in range');
  const sum = sequence + increment;
  return sum > SEQUENCE_MAX ? sum - SEQUENCE_MAX - 1 : sum;
}

export function isIdempotent(batch: { readonly producerId: number }): boolean {
  return batch.producerId >= 0;
}

function metadataOf(batch: ProducerBatch): BatchMetadata {
  return {
    firstSequence: batch.baseSequence,
    lastSequence: nextSequence(batch.baseSequence, batch.lastOffset - batch.firstOffset),
    firstOffset: batch.firstOffset,
    lastOffset: batch.lastOffset,
    maxTimestamp: batch.maxTimestamp,
  };
}

function fieldsValid(batch: ProducerBatch): boolean {
  return (
    Number.isSafeInteger(batch.producerId) &&
    batch.producerId < Number.MAX_SAFE_INTEGER &&
    Number.isInteger(batch.producerEpoch) &&
    batch.producerEpoch >= 0 &&
    batch.producerEpoch <= PRODUCER_EPOCH_MAX &&
    Number.isInteger(batch.baseSequence) &&
    batch.baseSequence >= 0 &&
    batch.baseSequence <= SEQUENCE_MAX &&
    batch.lastOffset >= batch.firstOffset
  );
}

/** Refuses producer fields no client could have meant: they would corrupt the state if recorded. */
function checkFields(batch: ProducerBatch): void {
  if (!fieldsValid(batch)) {
    throw new LogAppendError(
      'INVALID_PRODUCER_FIELDS',
      `producer ${batch.producerId} sent epoch ${batch.producerEpoch} and base sequence ${batch.baseSequence}`,
    );
  }
}

/** The entry after appending `batch` (no checks): a new epoch starts a new batch list. */
function withBatch(entry: ProducerEntry | undefined, batch: ProducerBatch, nowMs: number): ProducerEntry {
  const metadata = metadataOf(batch);
  const sameEpoch = entry !== undefined && entry.producerEpoch === batch.producerEpoch;
  const previous = sameEpoch ? entry.batches : [];
  const batches = [...previous, metadata].slice(-LOG_LIMITS.producerBatchesRetained);
  return { producerId: batch.producerId, producerEpoch: batch.producerEpoch, batches, lastUpdateMs: nowMs };
}

export class ProducerStateManager {
  /** Insertion order is recency order: an update moves the producer to the end, eviction takes the front. */
  private readonly producers = new Map<number, ProducerEntry>();
  private readonly producersMax: number;
  private readonly expirationMs: number;

  constructor(options: ProducerStateOptions) {
    this.producersMax = options.producersMax ?? LOG_LIMITS.producersPerPartitionMax;
    this.expirationMs = options.producerIdExpirationMs;
    assert(this.producersMax >= 1, 'producer state holds at least one producer');
    assert(this.expirationMs >= 1, 'producer id expiration is positive');
  }

  get producerCount(): number {
    return this.producers.size;
  }

  entry(producerId: number): ProducerEntry | undefined {
    return this.producers.get(producerId);
  }

  /**
   * Whether the batch is ahead of the sequence this partition expects from its producer: an earlier batch
   * of the same producer and epoch (or, for a producer not seen yet, its first batch) has not been appended.
   * Behind (a retry, a duplicate) and other epochs are not "ahead": check() decides those.
   */
  sequenceAhead(batch: Pick<ProducerBatch, 'producerId' | 'producerEpoch' | 'baseSequence'>): boolean {
    if (!isIdempotent(batch) || batch.baseSequence < 0 || batch.baseSequence > SEQUENCE_MAX) return false;
    const entry = this.producers.get(batch.producerId);
    if (entry === undefined) return batch.baseSequence !== 0;
    if (entry.producerEpoch !== batch.producerEpoch) return false;
    const last = entry.batches[entry.batches.length - 1];
    if (last === undefined) return false;
    const sequences = SEQUENCE_MAX + 1;
    const distance = (batch.baseSequence - nextSequence(last.lastSequence) + sequences) % sequences;
    // Within half the sequence space ahead; the other half is behind (sequences wrap).
    return distance > 0 && distance < sequences / 2;
  }

  /** Every producer, least recently updated first. */
  entries(): ProducerEntry[] {
    return [...this.producers.values()];
  }

  clear(): void {
    this.producers.clear();
  }

  /** Whether any retained batch reaches `offset` or beyond (a truncation there changes the state). */
  hasBatchesFrom(offset: number): boolean {
    for (const entry of this.producers.values()) {
      const last = entry.batches[entry.batches.length - 1];
      if (last !== undefined && last.lastOffset >= offset) return true;
    }
    return false;
  }

  /** Replaces the state with `entries` (least recently used first), all counted as seen at `nowMs`. */
  restore(entries: readonly Omit<ProducerEntry, 'lastUpdateMs'>[], nowMs: number): void {
    this.clear();
    this.applyEntries(entries.map((entry) => ({ ...entry, lastUpdateMs: nowMs })));
  }

  /** A scratch copy for one append; nothing changes until `commit`. */
  beginAppend(): ProducerAppend {
    return new ProducerAppend(this);
  }

  /** Forgets producers idle for longer than the expiration; returns how many. */
  removeExpired(nowMs: number): number {
    let removed = 0;
    for (const [producerId, entry] of this.producers) {
      if (nowMs - entry.lastUpdateMs > this.expirationMs) {
        this.producers.delete(producerId);
        removed++;
      }
    }
    return removed;
  }

  /** Applies an append's scratch entries (ProducerAppend.commit calls this). */
  applyEntries(entries: Iterable<ProducerEntry>): void {
    for (const entry of entries) {
      assert(entry.batches.length > 0, 'a producer entry has at least one batch');
      assert(entry.batches.length <= LOG_LIMITS.producerBatchesRetained, 'producer batches are bounded');
      this.producers.delete(entry.producerId);
      this.producers.set(entry.producerId, entry);
    }
    for (const producerId of this.producers.keys()) {
      if (this.producers.size <= this.producersMax) break;
      this.producers.delete(producerId);
    }
  }
}

/**
 * One append's view of the state: batches are checked (leader) or recorded (follower, recovery) in log
 * order, each seeing the ones before it; `commit` makes them the state.
 */
export class ProducerAppend {
  private readonly scratch = new Map<number, ProducerEntry>();
  private committed = false;

  constructor(private readonly manager: ProducerStateManager) {}

  private current(producerId: number): ProducerEntry | undefined {
    return this.scratch.get(producerId) ?? this.manager.entry(producerId);
  }

  /**
   * The leader's check (Kafka's ProducerAppendInfo with origin CLIENT). A duplicate of one of the retained
   * batches records nothing and returns the original offsets; a new batch is recorded in the scratch copy.
   * Throws LogAppendError (INVALID_PRODUCER_EPOCH, OUT_OF_ORDER_SEQUENCE) for a batch that cannot go in.
   */
  check(batch: ProducerBatch, nowMs: number): ProducerCheck {
    if (!isIdempotent(batch)) return { kind: 'not-idempotent' };
    checkFields(batch);
    const entry = this.current(batch.producerId);
    const metadata = metadataOf(batch);
    if (entry !== undefined && entry.producerEpoch === batch.producerEpoch) {
      const original = entry.batches.find(
        (kept) =>
          kept.firstSequence === metadata.firstSequence && kept.lastSequence === metadata.lastSequence,
      );
      if (original !== undefined) {
        return { kind: 'duplicate', firstOffset: original.firstOffset, lastOffset: original.lastOffset };
      }
    }
    this.checkSequence(entry, batch);
    this.scratch.set(batch.producerId, withBatch(entry, batch, nowMs));
    return { kind: 'new' };
  }

  private checkSequence(entry: ProducerEntry | undefined, batch: ProducerBatch): void {
    const { producerId, producerEpoch, baseSequence } = batch;
    if (entry === undefined) {
      // A producer this partition has never seen (or has forgotten) must start at 0. Accepting any
      // sequence would let a retry land after the state was lost, for example when the batch it retries
      // was appended, the state expired, and the retry arrives: it would be appended a second time.
      if (baseSequence !== 0) {
        throw new LogAppendError(
          'OUT_OF_ORDER_SEQUENCE',
          `producer ${producerId} is unknown to this partition and must start at sequence 0, not ${baseSequence}`,
        );
      }
      return;
    }
    if (producerEpoch < entry.producerEpoch) {
      throw new LogAppendError(
        'INVALID_PRODUCER_EPOCH',
        `producer ${producerId} sent epoch ${producerEpoch}; the partition has seen epoch ${entry.producerEpoch}`,
      );
    }
    if (producerEpoch > entry.producerEpoch) {
      if (baseSequence !== 0) {
        throw new LogAppendError(
          'OUT_OF_ORDER_SEQUENCE',
          `producer ${producerId} starts epoch ${producerEpoch} at sequence ${baseSequence}, not 0`,
        );
      }
      return;
    }
    const last = entry.batches[entry.batches.length - 1];
    assert(last !== undefined, 'a producer entry has at least one batch');
    const expected = nextSequence(last.lastSequence);
    if (baseSequence !== expected) {
      throw new LogAppendError(
        'OUT_OF_ORDER_SEQUENCE',
        `producer ${producerId} epoch ${producerEpoch} sent sequence ${baseSequence}; expected ${expected}`,
      );
    }
  }

  /**
   * Records a batch without checks (Kafka's origin REPLICATION): followers and recovery take what the
   * leader wrote, so the state a new leader starts from matches the log. A lower epoch than the one known
   * is ignored, as it can only come from a log the state already moved past.
   */
  record(batch: ProducerBatch, nowMs: number): void {
    // Fields the leader would have refused can only be in a log written before idempotence existed.
    if (!isIdempotent(batch) || !fieldsValid(batch)) return;
    const entry = this.current(batch.producerId);
    if (entry !== undefined && batch.producerEpoch < entry.producerEpoch) return;
    this.scratch.set(batch.producerId, withBatch(entry, batch, nowMs));
  }

  commit(): void {
    assert(!this.committed, 'a producer append commits once');
    this.committed = true;
    this.manager.applyEntries(this.scratch.values());
  }
}
