/**
 * Kafka's control records (KIP-98): the COMMIT and ABORT markers a transaction coordinator writes to every
 * partition of a transaction. A control batch has the control and transactional attribute bits set, the
 * transaction's producer id and epoch, base sequence -1 and exactly one record whose
 *   key   = version int16 (0) + type int16 (0 = ABORT, 1 = COMMIT)
 *   value = version int16 (0) + coordinatorEpoch int32
 * (Kafka's ControlRecordType and EndTransactionMarker). Consumers never hand these records to applications;
 * the log reads the marker type to close the producer's ongoing transaction.
 */
import { decodeRecordBatch } from './decode.js';
import { encodeRecordBatch } from './encode.js';
import { RecordBatchError } from './errors.js';
import { NO_SEQUENCE } from './layout.js';

export type ControlMarker = 'commit' | 'abort';

/** The only control key and marker value versions Kafka has defined. */
export const CONTROL_RECORD_VERSION = 0;
export const CONTROL_KEY_BYTES = 4;
export const END_TXN_MARKER_VALUE_BYTES = 6;

const CONTROL_TYPE_ABORT = 0;
const CONTROL_TYPE_COMMIT = 1;

export interface ControlBatchInput {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly marker: ControlMarker;
  readonly coordinatorEpoch: number;
  readonly timestampMs: number;
}

export interface DecodedControlRecord {
  readonly marker: ControlMarker;
  readonly coordinatorEpoch: number;
}

export function encodeControlKey(marker: ControlMarker): Buffer {
  const key = Buffer.alloc(CONTROL_KEY_BYTES);
  key.writeInt16BE(CONTROL_RECORD_VERSION, 0);
  key.writeInt16BE(marker === 'commit' ? CONTROL_TYPE_COMMIT : CONTROL_TYPE_ABORT, 2);
  return key;
}

export function encodeControlValue(coordinatorEpoch: number): Buffer {
  const value = Buffer.alloc(END_TXN_MARKER_VALUE_BYTES);
  value.writeInt16BE(CONTROL_RECORD_VERSION, 0);
  value.writeInt32BE(coordinatorEpoch, 2);
  return value;
}

/** A RecordBatch v2 holding one end-transaction marker; base offset 0 and no leader epoch (the leader stamps both). */
export function encodeControlBatch(input: ControlBatchInput): Buffer {
  return encodeRecordBatch({
    producerId: input.producerId,
    producerEpoch: input.producerEpoch,
    baseSequence: NO_SEQUENCE,
    isTransactional: true,
    isControl: true,
    records: [
      {
        key: encodeControlKey(input.marker),
        value: encodeControlValue(input.coordinatorEpoch),
        timestampMs: input.timestampMs,
      },
    ],
  });
}

function refuse(message: string): RecordBatchError {
  return new RecordBatchError('BAD_RECORD', 0, `control record: ${message}`);
}

/**
 * The marker a control record carries. Kafka's reader tolerates longer keys and values (later versions may
 * append fields) but not shorter ones, nor a version or type it does not know: those are refused here
 * (RecordBatchError BAD_RECORD), and the log refuses a control batch it cannot read.
 */
export function decodeControlRecord(key: Uint8Array | null, value: Uint8Array | null): DecodedControlRecord {
  if (key === null || key.length < CONTROL_KEY_BYTES) throw refuse('key shorter than 4 bytes');
  const keyView = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  const version = keyView.readInt16BE(0);
  if (version !== CONTROL_RECORD_VERSION) throw refuse(`unknown key version ${version}`);
  const type = keyView.readInt16BE(2);
  if (type !== CONTROL_TYPE_ABORT && type !== CONTROL_TYPE_COMMIT) throw refuse(`unknown type ${type}`);
  if (value === null || value.length < END_TXN_MARKER_VALUE_BYTES) {
    throw refuse('end-transaction marker value shorter than 6 bytes');
  }
  const valueView = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const valueVersion = valueView.readInt16BE(0);
  if (valueVersion !== CONTROL_RECORD_VERSION) throw refuse(`unknown marker version ${valueVersion}`);
  return {
    marker: type === CONTROL_TYPE_COMMIT ? 'commit' : 'abort',
    coordinatorEpoch: valueView.readInt32BE(2),
  };
}

/**
 * The marker of a whole control batch (`batch` holds exactly the batch's bytes, CRC checked on decode).
 * A control batch carries exactly one record (Kafka's LogValidator refuses others).
 */
export function decodeControlBatchMarker(batch: Uint8Array): DecodedControlRecord {
  const decoded = decodeRecordBatch(batch);
  if (!decoded.isControl) throw refuse('the batch is not a control batch');
  const [record, ...rest] = decoded.records;
  if (record === undefined || rest.length > 0) {
    throw refuse(`a control batch holds exactly one record, not ${decoded.records.length}`);
  }
  return decodeControlRecord(record.key, record.value);
}
