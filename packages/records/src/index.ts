export { type BatchStamp, RecordBatchHeader, readBatchHeader, stampBatch } from './batch-header.js';
export {
  isSupportedCompression,
  SUPPORTED_COMPRESSION,
  type SupportedCompression,
} from './compression.js';
export {
  CONTROL_RECORD_VERSION,
  type ControlBatchInput,
  type ControlMarker,
  type DecodedControlRecord,
  decodeControlBatchMarker,
  decodeControlRecord,
  encodeControlBatch,
  encodeControlKey,
  encodeControlValue,
} from './control.js';
export { crc32c, crc32cBitwise, crc32cImplementation, crc32cJs, crc32cNative } from './crc32c.js';
export {
  type DecodedBatch,
  type DecodedHeader,
  type DecodedRecord,
  decodeRecordBatch,
  type ValidateOptions,
  validateBatch,
} from './decode.js';
export {
  type EncodeBatchOptions,
  encodeRecordBatch,
  type RecordHeader,
  type RecordInput,
} from './encode.js';
export { type BatchProblem, isRecordBatchError, RecordBatchError } from './errors.js';
export {
  ATTRIBUTE_COMPRESSION_MASK,
  BATCH_HEADER_BYTES,
  COMPRESSION_CODECS,
  type CompressionCodec,
  LOG_OVERHEAD_BYTES,
  MAGIC_V2,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  RECORD_BATCH_V2_LAYOUT,
  RECORD_LIMITS,
  type TimestampType,
} from './layout.js';
export { murmur2, partitionForKey, toPositive } from './murmur2.js';
export { type SplitEnd, type SplitOptions, type SplitResult, splitBatches } from './split.js';
export { type PartitionChoice, StickyPartitioner } from './sticky-partitioner.js';
