/**
 * Byte layout of a Kafka RecordBatch v2 (magic 2), big-endian. Offsets are from the start of the batch.
 * Kafka's DefaultRecordBatch uses the same positions, so batches written by Kafka clients and by
 * Tributary are interchangeable byte for byte.
 */
export const BASE_OFFSET_OFFSET = 0;
export const BATCH_LENGTH_OFFSET = 8;
export const PARTITION_LEADER_EPOCH_OFFSET = 12;
export const MAGIC_OFFSET = 16;
export const CRC_OFFSET = 17;
export const ATTRIBUTES_OFFSET = 21;
export const LAST_OFFSET_DELTA_OFFSET = 23;
export const BASE_TIMESTAMP_OFFSET = 27;
export const MAX_TIMESTAMP_OFFSET = 35;
export const PRODUCER_ID_OFFSET = 43;
export const PRODUCER_EPOCH_OFFSET = 51;
export const BASE_SEQUENCE_OFFSET = 53;
export const RECORD_COUNT_OFFSET = 57;
export const RECORDS_OFFSET = 61;

/** batchLength counts the bytes after itself: the batch's total size is batchLength + this. */
export const LOG_OVERHEAD_BYTES = 12;
/** The fixed header; also the size of a batch with zero records. */
export const BATCH_HEADER_BYTES = RECORDS_OFFSET;
/** The smallest legal batchLength (a header with no records). */
export const BATCH_LENGTH_MIN = BATCH_HEADER_BYTES - LOG_OVERHEAD_BYTES;
/** The CRC covers attributes through the end of the batch; baseOffset and leader epoch stay outside. */
export const CRC_START_OFFSET = ATTRIBUTES_OFFSET;

export const MAGIC_V2 = 2;

/**
 * The smallest encoded record: a one-byte length, attributes, and one-byte varints for timestampDelta,
 * offsetDelta, keyLength, valueLength and headersCount. Lets a cheap check refuse a recordCount that
 * could not fit in the batch, before anything is allocated for it.
 */
export const RECORD_BYTES_MIN = 7;

export const ATTRIBUTE_COMPRESSION_MASK = 0x07;
export const ATTRIBUTE_TIMESTAMP_TYPE_BIT = 0x08;
export const ATTRIBUTE_TRANSACTIONAL_BIT = 0x10;
export const ATTRIBUTE_CONTROL_BIT = 0x20;

/** Kafka's codec ids (attributes bits 0-2); 5-7 are invalid. All five are read and written (compression.ts). */
export const COMPRESSION_CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CompressionCodec = (typeof COMPRESSION_CODECS)[number];
export type TimestampType = 'create-time' | 'log-append-time';

/** Kafka's "no producer id / no sequence" values for non-idempotent producers. */
export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
/** Kafka's RecordBatch.NO_PARTITION_LEADER_EPOCH: producers send this; the leader stamps its epoch. */
export const NO_PARTITION_LEADER_EPOCH = -1;

/**
 * Named bounds for this package (core's LIMITS has none for batches yet). A batch must fit in one gRPC
 * message with room for the envelope; Kafka's default max.message.bytes is ~1 MiB, so 16 MiB is generous.
 */
export const RECORD_LIMITS = {
  batchBytesMax: 16 * 1024 * 1024,
  /**
   * The most a compressed batch's records section may inflate to. Equal to batchBytesMax, since the
   * encoder refuses batches whose plain form is larger; a bigger output is a zip bomb or corruption.
   */
  decompressedBytesMax: 16 * 1024 * 1024,
  headersPerRecordMax: 10_000,
} as const;

/**
 * The v2 header's field offsets as one object, for code that reads and stamps headers in place without
 * this package's header view (the partition log's batch codec).
 */
export const RECORD_BATCH_V2_LAYOUT = {
  baseOffset: BASE_OFFSET_OFFSET,
  batchLength: BATCH_LENGTH_OFFSET,
  lengthFieldEnd: LOG_OVERHEAD_BYTES,
  partitionLeaderEpoch: PARTITION_LEADER_EPOCH_OFFSET,
  magic: MAGIC_OFFSET,
  crc: CRC_OFFSET,
  attributes: ATTRIBUTES_OFFSET,
  lastOffsetDelta: LAST_OFFSET_DELTA_OFFSET,
  baseTimestamp: BASE_TIMESTAMP_OFFSET,
  maxTimestamp: MAX_TIMESTAMP_OFFSET,
  producerId: PRODUCER_ID_OFFSET,
  producerEpoch: PRODUCER_EPOCH_OFFSET,
  baseSequence: BASE_SEQUENCE_OFFSET,
  recordCount: RECORD_COUNT_OFFSET,
  records: RECORDS_OFFSET,
} as const;
