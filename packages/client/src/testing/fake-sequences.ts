/**
 * The fake brokers' idempotence check, mirroring the broker's rules: per partition and producer id the
 * last FAKE_RETAINED_BATCHES batches are remembered; a resend of one of them is a duplicate answered with
 * its original base offset; anything else must follow the last sequence (wrapping at 2^31-1), a producer
 * the partition never saw (or a newer epoch) starts at 0, and an older epoch is fenced.
 */
import { type RecordBatchHeader, splitBatches, stampBatch } from '@tributary/records';
import { lastSequenceOf, sequenceAfter } from '../sequences.js';
import type { FakePartitionLog } from './fake-broker.js';

/** What the broker keeps per producer (Kafka's ProducerStateEntry keeps 5 batches too). */
export const FAKE_RETAINED_BATCHES = 5;

export interface RetainedBatch {
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly lastSequence: number;
  readonly baseOffset: number;
}

export interface FakeProducerState {
  readonly producerEpoch: number;
  readonly lastSequence: number;
  readonly retained: readonly RetainedBatch[];
}

export interface IncomingBatch {
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordCount: number;
}

export type SequenceVerdict =
  | { readonly kind: 'append' }
  | { readonly kind: 'duplicate'; readonly baseOffset: number }
  | { readonly kind: 'error'; readonly errorCode: string; readonly errorMessage: string };

export function checkSequence(state: FakeProducerState | undefined, batch: IncomingBatch): SequenceVerdict {
  const lastSequence = lastSequenceOf(batch.baseSequence, batch.recordCount);
  if (state !== undefined && batch.producerEpoch < state.producerEpoch) {
    return {
      kind: 'error',
      errorCode: 'INVALID_PRODUCER_EPOCH',
      errorMessage: `epoch ${batch.producerEpoch} is older than ${state.producerEpoch}`,
    };
  }
  const duplicate = state?.retained.find(
    (r) =>
      r.producerEpoch === batch.producerEpoch &&
      r.baseSequence === batch.baseSequence &&
      r.lastSequence === lastSequence,
  );
  if (duplicate !== undefined) return { kind: 'duplicate', baseOffset: duplicate.baseOffset };
  const expected =
    state === undefined || batch.producerEpoch > state.producerEpoch
      ? 0
      : sequenceAfter(state.lastSequence, 1);
  if (batch.baseSequence !== expected) {
    return {
      kind: 'error',
      errorCode: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
      errorMessage: `expected sequence ${expected}, got ${batch.baseSequence}`,
    };
  }
  return { kind: 'append' };
}

/** The state after appending `batch` at `baseOffset`. */
export function afterAppend(
  state: FakeProducerState | undefined,
  batch: IncomingBatch,
  baseOffset: number,
): FakeProducerState {
  const lastSequence = lastSequenceOf(batch.baseSequence, batch.recordCount);
  const kept = (state?.retained ?? []).filter((r) => r.producerEpoch === batch.producerEpoch);
  const retained = [
    ...kept,
    { producerEpoch: batch.producerEpoch, baseSequence: batch.baseSequence, lastSequence, baseOffset },
  ].slice(-FAKE_RETAINED_BATCHES);
  return { producerEpoch: batch.producerEpoch, lastSequence, retained };
}

function incoming(header: RecordBatchHeader): IncomingBatch {
  return {
    producerEpoch: header.producerEpoch,
    baseSequence: header.baseSequence,
    recordCount: header.recordCount,
  };
}

/**
 * Appends a partition's batches, all or none: idempotent batches are checked first (a duplicate keeps
 * its original offset and is not appended again). The base offset is the first batch's.
 */
export function appendPartition(
  log: FakePartitionLog,
  bytes: Buffer,
): { errorCode: string; errorMessage?: string; baseOffset: number } {
  const headers = splitBatches(bytes).batches;
  const producers = new Map(log.producers);
  const verdicts: SequenceVerdict[] = [];
  let nextOffset = log.endOffset;
  for (const header of headers) {
    if (header.producerId < 0) {
      verdicts.push({ kind: 'append' });
      nextOffset += header.lastOffsetDelta + 1;
      continue;
    }
    const verdict = checkSequence(producers.get(header.producerId), incoming(header));
    if (verdict.kind === 'error') {
      return { errorCode: verdict.errorCode, errorMessage: verdict.errorMessage, baseOffset: -1 };
    }
    verdicts.push(verdict);
    if (verdict.kind === 'append') {
      producers.set(
        header.producerId,
        afterAppend(producers.get(header.producerId), incoming(header), nextOffset),
      );
      nextOffset += header.lastOffsetDelta + 1;
    }
  }
  let baseOffset = -1;
  for (const [index, header] of headers.entries()) {
    const verdict = verdicts[index];
    if (verdict?.kind === 'duplicate') {
      if (index === 0) baseOffset = verdict.baseOffset;
      continue;
    }
    const batch = Buffer.from(header.bytes());
    const stamped = stampBatch(batch, { baseOffset: log.endOffset, partitionLeaderEpoch: 0 });
    if (index === 0) baseOffset = log.endOffset;
    log.batches.push({
      baseOffset: log.endOffset,
      lastOffset: stamped.lastOffset,
      maxTimestamp: stamped.maxTimestamp,
      bytes: batch,
    });
    log.endOffset = stamped.lastOffset + 1;
  }
  for (const [producerId, producerState] of producers) log.producers.set(producerId, producerState);
  return { errorCode: '', baseOffset: baseOffset < 0 ? log.endOffset : baseOffset };
}
