import { type RecordBatchHeader, readBatchHeader } from './batch-header.js';
import { decodeRecords } from './decode.js';
import { RecordBatchError } from './errors.js';
import { asBuffer, checkBatchAt, checkFraming } from './validate.js';

/** How a run of concatenated batches ended. */
export type SplitEnd =
  | { readonly kind: 'complete' }
  /** The last batch is cut short: a crash mid-append. Recovery truncates to validBytes. */
  | { readonly kind: 'torn-tail'; readonly position: number; readonly bytesAvailable: number }
  /** A batch that is there but wrong (bad length, magic, CRC, records). */
  | { readonly kind: 'corrupt'; readonly position: number; readonly error: RecordBatchError };

export interface SplitResult {
  /** Every valid batch before the end, in order; header.bytes() gives each one's bytes without copying. */
  readonly batches: readonly RecordBatchHeader[];
  /** The length of the valid prefix: where a log is truncated when `end` is not 'complete'. */
  readonly validBytes: number;
  readonly end: SplitEnd;
}

export interface SplitOptions {
  /** Check each batch's CRC and header fields (default true); false reads framing only. */
  readonly verifyCrc?: boolean | undefined;
  /** Also parse every record of each batch (default false). */
  readonly deep?: boolean | undefined;
}

function checkOne(buf: Buffer, position: number, options: SplitOptions): RecordBatchHeader {
  if (options.verifyCrc === false) {
    checkFraming(buf, position);
    return readBatchHeader(buf, position);
  }
  const header = checkBatchAt(buf, position);
  if (options.deep === true) decodeRecords(header);
  return header;
}

/**
 * Walks batches stored back to back (a segment file, a fetch response). Stops at the first problem and
 * says which kind: a batch cut off by the end of the buffer is a torn tail, anything else is corruption.
 * A batchLength corrupted into a larger but plausible value also looks like a torn tail; either way the
 * log keeps only the valid prefix, as Kafka's recovery does.
 */
export function splitBatches(bytes: Uint8Array, options: SplitOptions = {}): SplitResult {
  const buf = asBuffer(bytes);
  const batches: RecordBatchHeader[] = [];
  let position = 0;
  while (position < buf.length) {
    try {
      const header = checkOne(buf, position, options);
      batches.push(header);
      position += header.sizeBytes;
    } catch (error) {
      if (!(error instanceof RecordBatchError)) throw error;
      const end: SplitEnd =
        error.problem === 'TRUNCATED'
          ? { kind: 'torn-tail', position, bytesAvailable: buf.length - position }
          : { kind: 'corrupt', position, error };
      return { batches, validBytes: position, end };
    }
  }
  return { batches, validBytes: position, end: { kind: 'complete' } };
}
