export {
  type AppendBatchInfo,
  LogAppendError,
  type LogAppendFailure,
  ParsedAppend,
} from './append-validation.js';
export {
  type BatchCodec,
  type BatchInfo,
  type Crc32cFunction,
  createKafkaV2BatchCodec,
  kafkaV2BatchCodec,
  V2,
} from './batch-codec.js';
export type { CleanOptions, CleanResult } from './cleaner/clean-log.js';
export { CLEANER_LIMITS } from './cleaner/limits.js';
export {
  type CleanableLog,
  LogCleaner,
  type LogCleanerOptions,
  type LogCleanerStats,
} from './cleaner/log-cleaner.js';
export { type CleanableState, needsCleaning } from './cleaner/plan.js';
export type { SwapStep } from './cleaner/swap.js';
export { CleanerThrottle, type Sleep } from './cleaner/throttle.js';
export {
  type CleanupPolicy,
  DEFAULT_LOG_CONFIG,
  type FlushPolicy,
  type LogConfig,
  type LogConfigChange,
  policyCompacts,
  policyDeletes,
} from './config.js';
export {
  type EpochEndOffset,
  type EpochEntry,
  LeaderEpochCache,
  UNDEFINED_EPOCH_END,
} from './epoch-cache.js';
export { GroupCommit } from './group-commit.js';
export { LOG_LIMITS } from './limits.js';
export {
  type LogFile,
  type LogFileStat,
  type LogFileSystem,
  type LogOpenFlags,
  nodeLogFileSystem,
} from './log-fs.js';
export {
  type AppendResult,
  type LeaderAppendOptions,
  type LogLevel,
  type LogLogger,
  PartitionLog,
  type PartitionLogOptions,
  type ReadOptions,
  type ReadResult,
  type RetentionResult,
} from './partition-log.js';
export {
  decodeProducerSnapshot,
  PRODUCER_SNAPSHOT_FILE,
  type ProducerSnapshot,
} from './producer-snapshot.js';
export {
  type BatchMetadata,
  type CompletedTransaction,
  NO_PRODUCER_ID,
  nextSequence,
  type OngoingTransaction,
  type ProducerBatch,
  type ProducerEntry,
  ProducerStateManager,
  SEQUENCE_MAX,
} from './producer-state.js';
export { SEGMENT_FILE_SUFFIXES, TXN_INDEX_SUFFIX } from './segment.js';
export {
  checkStorageFault,
  type StorageFaultHook,
  type StorageOperation,
  setStorageFaultHook,
} from './storage-faults.js';
export {
  type AbortedTransaction,
  type AbortedTxnEntry,
  decodeTxnIndexEntries,
  encodeTxnIndexEntries,
  TransactionIndex,
  TXN_INDEX_ENTRY_BYTES,
} from './txn-index.js';
