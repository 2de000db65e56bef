/**
 * The records of __transaction_state: one record per transactional id, the last one wins (the topic is
 * compacted), a null value being a tombstone for an expired id. Binary, in the layout of Kafka's
 * TransactionLogKey v0 and TransactionLogValue v0 (big-endian, non-flexible: strings as int16 length +
 * UTF-8, arrays as int32 count with -1 for null), each prefixed by its int16 version, so Kafka's tools
 * (kafka-dump-log --transaction-log-decoder) read what we write. Pure.
 */
import { TributaryError } from '@tributary/core';
import { KafkaProtocolError, Reader, Writer } from '@tributary/kafka-protocol';

/** Kafka's CoordinatorRecordType TRANSACTION_LOG: the only key version. */
export const TXN_LOG_KEY_VERSION = 0;
/** Version 1 is flexible (KIP-890 part 2's tagged fields); Tributary writes and reads version 0. */
export const TXN_LOG_VALUE_VERSION = 0;
/** Kafka's TransactionState ids run from Empty (0) to PrepareEpochFence (7). */
const TXN_STATUS_ID_MAX = 7;

const INT16_MAX = 0x7fff;
const INT32_MAX = 0x7fff_ffff;

export interface TxnLogPartitions {
  readonly topic: string;
  /** Non-negative partition ids. */
  readonly partitionIds: readonly number[];
}

/** TransactionLogValue v0, field for field. */
export interface TxnLogValue {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly transactionTimeoutMs: number;
  /** Kafka's TransactionState id (txn-metadata.ts maps it to a state name). */
  readonly transactionStatus: number;
  /** Null in state Empty, as Kafka writes it; an empty list for the Complete states. */
  readonly transactionPartitions: readonly TxnLogPartitions[] | null;
  readonly transactionLastUpdateTimestampMs: number;
  /** -1 while no transaction has started. */
  readonly transactionStartTimestampMs: number;
}

/** One record of the state topic: the key's transactional id and the value (null = tombstone). */
export interface TxnStateRecord {
  readonly transactionalId: string;
  readonly value: TxnLogValue | null;
}

function corrupt(message: string, cause?: unknown): TributaryError {
  return new TributaryError(
    'CORRUPT_MESSAGE',
    `__transaction_state record: ${message}`,
    cause === undefined ? {} : { cause },
  );
}

function checkInt(value: number, what: string, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `${what} must be an integer in [${min}, ${max}], got ${value}`,
    );
  }
}

function writeString(writer: Writer, value: string, what: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > INT16_MAX)
    throw new TributaryError('INVALID_REQUEST', `${what} is longer than ${INT16_MAX} bytes`);
  writer.int16(bytes.length);
  writer.bytes(bytes);
}

export function encodeTxnLogKey(transactionalId: string): Buffer {
  const writer = new Writer();
  writer.int16(TXN_LOG_KEY_VERSION);
  writeString(writer, transactionalId, 'transactional id');
  return writer.toBuffer();
}

export function encodeTxnLogValue(value: TxnLogValue): Buffer {
  checkInt(value.producerId, 'producer id', 0, Number.MAX_SAFE_INTEGER);
  checkInt(value.producerEpoch, 'producer epoch', 0, INT16_MAX);
  checkInt(value.transactionTimeoutMs, 'transaction timeout', 1, INT32_MAX);
  checkInt(value.transactionStatus, 'transaction status', 0, TXN_STATUS_ID_MAX);
  checkInt(value.transactionLastUpdateTimestampMs, 'last update timestamp', 0, Number.MAX_SAFE_INTEGER);
  checkInt(value.transactionStartTimestampMs, 'start timestamp', -1, Number.MAX_SAFE_INTEGER);
  const writer = new Writer();
  writer.int16(TXN_LOG_VALUE_VERSION);
  writer.int64(value.producerId);
  writer.int16(value.producerEpoch);
  writer.int32(value.transactionTimeoutMs);
  writer.int8(value.transactionStatus);
  if (value.transactionPartitions === null) {
    writer.int32(-1);
  } else {
    writer.int32(value.transactionPartitions.length);
    for (const { topic, partitionIds } of value.transactionPartitions) {
      writeString(writer, topic, 'topic');
      writer.int32(partitionIds.length);
      for (const id of partitionIds) {
        checkInt(id, 'partition id', 0, INT32_MAX);
        writer.int32(id);
      }
    }
  }
  writer.int64(value.transactionLastUpdateTimestampMs);
  writer.int64(value.transactionStartTimestampMs);
  return writer.toBuffer();
}

function view(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

function readString(reader: Reader, what: string): string {
  const length = reader.int16();
  if (length < 0) throw corrupt(`${what} is null`);
  return reader.utf8(length, what);
}

/** A count of items at least `itemBytesMin` long each, checked against what is left before allocating. */
function readCount(reader: Reader, itemBytesMin: number, what: string): number {
  const count = reader.int32();
  if (count < 0) throw corrupt(`${what} has a negative count ${count}`);
  if (count * itemBytesMin > reader.remaining()) throw corrupt(`${what} count ${count} runs past the end`);
  return count;
}

/** Runs a decoder, turning the reader's errors into CORRUPT_MESSAGE and refusing trailing bytes. */
function decodeAll<T>(bytes: Uint8Array, what: string, decode: (reader: Reader) => T): T {
  const reader = new Reader(view(bytes));
  try {
    const result = decode(reader);
    if (reader.remaining() !== 0) throw corrupt(`${reader.remaining()} bytes after the ${what}`);
    return result;
  } catch (error) {
    if (error instanceof KafkaProtocolError) throw corrupt(`${what}: ${error.message}`, error);
    throw error;
  }
}

/** The key's version, or null when it is not a transaction-log key (the loader skips those). */
export function txnLogKeyVersion(bytes: Uint8Array): number | null {
  if (bytes.length < 2) throw corrupt('key shorter than its version');
  return view(bytes).readInt16BE(0) === TXN_LOG_KEY_VERSION ? TXN_LOG_KEY_VERSION : null;
}

/** The transactional id of a key. */
export function decodeTxnLogKey(bytes: Uint8Array): string {
  return decodeAll(bytes, 'key', (reader) => {
    const version = reader.int16();
    if (version !== TXN_LOG_KEY_VERSION) throw corrupt(`unknown key version ${version}`);
    return readString(reader, 'transactional id');
  });
}

function readPartitions(reader: Reader): TxnLogPartitions[] | null {
  const count = reader.int32();
  if (count === -1) return null;
  // Each entry holds at least a string length and a count.
  if (count < 0 || count * 6 > reader.remaining()) throw corrupt(`partition list count ${count}`);
  const out: TxnLogPartitions[] = [];
  for (let i = 0; i < count; i++) {
    const topic = readString(reader, 'topic');
    const ids = readCount(reader, 4, 'partition ids');
    const partitionIds: number[] = [];
    for (let j = 0; j < ids; j++) {
      const id = reader.int32();
      if (id < 0) throw corrupt(`negative partition id ${id}`);
      partitionIds.push(id);
    }
    out.push({ topic, partitionIds });
  }
  return out;
}

export function decodeTxnLogValue(bytes: Uint8Array): TxnLogValue {
  return decodeAll(bytes, 'value', (reader) => {
    const version = reader.int16();
    if (version !== TXN_LOG_VALUE_VERSION) throw corrupt(`unknown value version ${version}`);
    const producerId = reader.int64();
    const producerEpoch = reader.int16();
    const transactionTimeoutMs = reader.int32();
    const transactionStatus = reader.int8();
    if (producerId < 0) throw corrupt(`producer id ${producerId}`);
    if (producerEpoch < 0) throw corrupt(`producer epoch ${producerEpoch}`);
    if (transactionTimeoutMs <= 0) throw corrupt(`transaction timeout ${transactionTimeoutMs}`);
    if (transactionStatus < 0 || transactionStatus > TXN_STATUS_ID_MAX)
      throw corrupt(`unknown transaction status ${transactionStatus}`);
    const transactionPartitions = readPartitions(reader);
    const transactionLastUpdateTimestampMs = reader.int64();
    const transactionStartTimestampMs = reader.int64();
    if (transactionLastUpdateTimestampMs < 0 || transactionStartTimestampMs < -1)
      throw corrupt('negative timestamp');
    return {
      producerId,
      producerEpoch,
      transactionTimeoutMs,
      transactionStatus,
      transactionPartitions,
      transactionLastUpdateTimestampMs,
      transactionStartTimestampMs,
    };
  });
}

/** A record of the state topic from its key and value bytes (value null = tombstone). */
export function decodeTxnStateRecord(key: Uint8Array, value: Uint8Array | null): TxnStateRecord {
  return {
    transactionalId: decodeTxnLogKey(key),
    value: value === null ? null : decodeTxnLogValue(value),
  };
}
