/**
 * What the leader checks in a client's record batches before appending them, beyond what the log
 * checks (lengths, magic, CRC). Found by the gRPC fuzz suite: a batch whose CRC was recomputed after
 * changing its header was accepted with a record count that does not match its offsets (a
 * lastOffsetDelta of 2^31 - 1 burned two billion offsets for one record), an unknown compression
 * codec (no consumer could decode it), or the control and transactional flags (which only the broker
 * itself may write, and transactions are not supported). Kafka's LogValidator refuses the same.
 */
import { TributaryError } from '@tributary/core';
import { splitBatches } from '@tributary/records';

function corrupt(message: string): TributaryError {
  return new TributaryError('CORRUPT_MESSAGE', message);
}

/**
 * Throws CORRUPT_MESSAGE naming the first batch of `records` a producer may not write. Reads headers
 * only: the log verifies every CRC on append, so it is not computed twice on the produce path.
 */
export function checkProducerBatches(records: Buffer): void {
  const split = splitBatches(records, { verifyCrc: false });
  if (split.end.kind === 'torn-tail') {
    throw corrupt(`the batch at byte ${split.end.position} is cut short`);
  }
  if (split.end.kind === 'corrupt') {
    throw corrupt(`the batch at byte ${split.end.position} is corrupt: ${split.end.error.message}`);
  }
  for (const header of split.batches) {
    const where = `the batch at byte ${header.position}`;
    if (header.compression === undefined) {
      throw corrupt(`${where} names compression codec ${header.attributes & 0x07}, which does not exist`);
    }
    if (header.recordCount < 1) throw corrupt(`${where} has recordCount ${header.recordCount}`);
    if (header.lastOffsetDelta !== header.recordCount - 1) {
      throw corrupt(
        `${where} has lastOffsetDelta ${header.lastOffsetDelta} but ${header.recordCount} records; ` +
          'a producer batch covers exactly recordCount offsets',
      );
    }
    if (header.isControl) throw corrupt(`${where} is a control batch; clients may not write those`);
    if (header.isTransactional) {
      throw corrupt(`${where} is transactional; transactions are not supported`);
    }
  }
}
