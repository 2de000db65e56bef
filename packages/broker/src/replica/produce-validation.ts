/**
 * What the leader checks in a client's record batches before appending them, beyond what the log
 * checks (lengths, magic, CRC). Found by the gRPC fuzz suite: a batch whose CRC was recomputed after
 * changing its header was accepted with a record count that does not match its offsets (a
 * lastOffsetDelta of 2^31 - 1 burned two billion offsets for one record), an unknown compression
 * codec (no consumer could decode it), or the control flag (which only the broker itself may write).
 * Kafka's LogValidator refuses the same. Transactional batches are let through to KIP-890's
 * verification (verifyTransactionalWrite) before the log's own checks.
 */
import { TributaryError } from '@tributary/core';
import type { ParsedAppend } from '@tributary/log';
import {
  ATTRIBUTE_COMPRESSION_MASK,
  COMPRESSION_CODECS,
  type DecodedRecord,
  decodeRecordBatch,
  isRecordBatchError,
} from '@tributary/records';
import type { Partition } from './partition.js';
import type { TransactionVerifier } from './request-context.js';

function corrupt(message: string): TributaryError {
  return new TributaryError('CORRUPT_MESSAGE', message);
}

/** The producer of a transactional batch (the first one of a produce to a partition). */
export interface TransactionalProducer {
  readonly producerId: number;
  readonly producerEpoch: number;
}

/**
 * Throws CORRUPT_MESSAGE naming the first batch of an append a producer may not write. Reads the headers
 * the log parsed once for this request (lengths, magic and CRC already checked). Returns the producer of
 * the first transactional batch, or null (no allocation on the ordinary path).
 */
export function checkProducerBatches(append: ParsedAppend): TransactionalProducer | null {
  let transactional: TransactionalProducer | null = null;
  for (const header of append.batches) {
    const where = `the batch at byte ${header.position}`;
    const codec = header.attributes & ATTRIBUTE_COMPRESSION_MASK;
    if (codec >= COMPRESSION_CODECS.length) {
      throw corrupt(`${where} names compression codec ${codec}, which does not exist`);
    }
    if (header.recordCount < 1) throw corrupt(`${where} has recordCount ${header.recordCount}`);
    const lastOffsetDelta = header.lastOffset - header.baseOffset;
    if (lastOffsetDelta !== header.recordCount - 1) {
      throw corrupt(
        `${where} has lastOffsetDelta ${lastOffsetDelta} but ${header.recordCount} records; ` +
          'a producer batch covers exactly recordCount offsets',
      );
    }
    if (header.isControl) throw corrupt(`${where} is a control batch; clients may not write those`);
    if (header.isTransactional && header.producerId < 0) {
      throw corrupt(`${where} is transactional without a producer id`);
    }
    if (header.isTransactional && transactional === null) {
      transactional = { producerId: header.producerId, producerEpoch: header.producerEpoch };
    }
  }
  return transactional;
}

/**
 * KIP-890 part 1 (Kafka's verification guard): a transactional write that would open a transaction in
 * this partition is accepted only once the producer's coordinator confirms the partition is in its
 * ongoing transaction; a producer whose transaction is already open here at this epoch needs no check
 * (Kafka verifies the first write per transaction per partition, and caches nothing else). Without
 * this, a late or zombie write after a marker would open a transaction no coordinator knows, which
 * would hold the last stable offset back for ever (Jepsen's hanging transactions).
 *
 * Resolves null when the write may go on. The answer may be stale: the coordinator may have ended the
 * transaction and written its marker here while the answer travelled (a partitioned link delivers it
 * late), and appending then would open a transaction after the marker that nothing ever closes. So, as
 * Kafka's verification guard, a token is registered for the producer before asking and every marker for
 * it removes the token (markersArriving); an answer whose token is gone is refused. The caller issues the
 * append in the same turn as this resolves, so a marker that comes later is appended after the data.
 */
export async function verifyTransactionalWrite(
  verifier: TransactionVerifier | null,
  partition: Partition,
  transactionalId: string,
  producer: TransactionalProducer,
): Promise<{ readonly refused: TributaryError } | { readonly guard: object }> {
  const guards = partition.txnVerificationGuards;
  const entry = partition.log.producers.entry(producer.producerId);
  const markerPending = (partition.markersInFlight.get(producer.producerId) ?? 0) > 0;
  if (
    !markerPending &&
    entry?.currentTxnFirstOffset !== undefined &&
    entry.producerEpoch === producer.producerEpoch
  ) {
    // Open here already (verified by an earlier write, perhaps under another leader of this partition).
    const guard = guards.get(producer.producerId) ?? {};
    guards.set(producer.producerId, guard);
    return { guard };
  }
  const where = `${partition.topic}-${partition.partition}`;
  if (transactionalId === '') {
    return {
      refused: new TributaryError(
        'INVALID_TXN_STATE',
        `a transactional write to ${where} names no transactional_id to verify it with`,
      ),
    };
  }
  if (verifier === null) {
    return {
      refused: new TributaryError(
        'INVALID_TXN_STATE',
        `this broker runs no transaction coordinator to verify ${where}`,
      ),
    };
  }
  // Concurrent writes of one producer share a token, so that one does not void the other's answer.
  const guard = guards.get(producer.producerId) ?? {};
  guards.set(producer.producerId, guard);
  const refused = await verifier({
    transactionalId,
    producerId: producer.producerId,
    producerEpoch: producer.producerEpoch,
    topic: partition.topic,
    partition: partition.partition,
  });
  return refused === null ? { guard } : { refused };
}

/**
 * Whether a verified write may be appended now: no marker for its producer was issued since its
 * verification began. Call in the same turn as the append is issued.
 */
export function verificationHolds(partition: Partition, producerId: number, guard: object): boolean {
  return partition.txnVerificationGuards.get(producerId) === guard;
}

/**
 * The coordinator's markers about to be appended to `partition`: they void the verification guards of
 * their producers (see verifyTransactionalWrite) and count as in flight until `markersAppended`. Call in
 * the same turn as the append is issued.
 */
export function markersArriving(partition: Partition, append: ParsedAppend): readonly number[] {
  const producers: number[] = [];
  for (const header of append.batches) {
    if (!header.isControl) continue;
    partition.txnVerificationGuards.delete(header.producerId);
    partition.markersInFlight.set(
      header.producerId,
      (partition.markersInFlight.get(header.producerId) ?? 0) + 1,
    );
    producers.push(header.producerId);
  }
  return producers;
}

/** The markers markersArriving counted were appended (or failed). */
export function markersAppended(partition: Partition, producers: readonly number[]): void {
  for (const producerId of producers) {
    const count = (partition.markersInFlight.get(producerId) ?? 0) - 1;
    if (count > 0) partition.markersInFlight.set(producerId, count);
    else partition.markersInFlight.delete(producerId);
  }
}

/**
 * Kafka's LogValidator rule for topics whose cleanup.policy includes compact: every record needs a key,
 * since compaction keeps the last record per key and a keyless one would have no key to be kept under
 * (Kafka answers INVALID_RECORD, "Compacted topic cannot accept message without key"). This decodes the
 * records (decompressing them), which the produce path otherwise never does, so only compacted topics pay.
 */
export function checkRecordsHaveKeys(append: ParsedAppend): void {
  for (const header of append.batches) {
    const bytes = append.bytes.subarray(header.position, header.position + header.sizeBytes);
    for (const record of decodedRecords(bytes, header.position)) {
      if (record.key === null) {
        throw new TributaryError(
          'INVALID_RECORD',
          `the record at offset delta ${record.offsetDelta} has no key; a compacted topic cannot accept a record without a key`,
        );
      }
    }
  }
}

function decodedRecords(batch: Uint8Array, position: number): readonly DecodedRecord[] {
  try {
    return decodeRecordBatch(batch).records;
  } catch (error) {
    // The CRC matched (parseAppend checked it): a payload that does not decode is the producer's fault.
    if (isRecordBatchError(error))
      throw corrupt(`the batch at byte ${position} is corrupt: ${error.message}`);
    throw error;
  }
}
