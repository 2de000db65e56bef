/**
 * Named limits of the partition log ("put a limit on everything"). Every buffer the log allocates and every
 * loop over on-disk data is bounded by one of these.
 */
export const LOG_LIMITS = {
  /** Kafka's RecordBatch v2 header is 61 bytes; a batch is at least a header. */
  batchHeaderBytes: 61,
  /** The largest single batch accepted (Kafka's default message.max.bytes is ~1 MiB; we allow more). */
  batchBytesMax: 64 * 1024 * 1024,
  /** The bytes of one append call (written with one positional write). */
  appendBytesMax: 128 * 1024 * 1024,
  /** Batches in one append call. */
  batchesPerAppendMax: 1_000_000,
  /** Segment size bounds: positions in the offset index are u32, so a segment must stay below 4 GiB. */
  segmentBytesMin: 1024,
  segmentBytesMax: 2 * 1024 * 1024 * 1024 - 1,
  /** Offsets stored in an index are relative to the segment base and must fit a u32. */
  relativeOffsetMax: 0xffff_ffff,
  /** Bytes read from disk at once while scanning batch headers (recovery, index rebuild, lookups). */
  scanChunkBytes: 1024 * 1024,
  /** The most bytes one read() returns when the first batch alone is not larger. */
  readBytesMax: 64 * 1024 * 1024,
  indexIntervalBytesMin: 1,
  indexIntervalBytesMax: 64 * 1024 * 1024,
  /** Entries in the leader-epoch cache; an epoch checkpoint longer than this is refused as corrupt. */
  epochEntriesMax: 100_000,
  /**
   * Segment files one process keeps open at once (file-pool.ts): idle ones beyond it are closed, least
   * recently used first, and opened again when read or written. Far below common descriptor limits, so
   * that sockets and other files always find one.
   */
  openSegmentFilesMax: 4_096,
  /** Segments one log may hold; beyond this, appends fail with RESOURCE_EXHAUSTED. */
  segmentsPerLogMax: 100_000,
  /** Batches remembered per idempotent producer for duplicate detection (Kafka keeps 5 in flight). */
  producerBatchesRetained: 5,
  /** Idempotent producers one partition remembers; beyond it the least recently used is forgotten. */
  producersPerPartitionMax: 10_000,
  /** How often (log clock) a leader append sweeps expired producers: the sweep visits every producer. */
  producerExpirationCheckIntervalMs: 10 * 60 * 1000,
  /**
   * Keys the cleaner's offset map holds in one pass (Kafka: log.cleaner.dedupe.buffer.size). A dirty section
   * with more keys is cleaned up to where the map filled; the next pass continues from there.
   */
  cleanerOffsetMapKeysMax: 1_000_000,
  /** Keys up to this length are map keys as they are; longer ones by their SHA-256 (32 bytes). */
  cleanerKeyBytesVerbatimMax: 32,
  /** Bytes the cleaner reads or writes at once (each chunk passes the cleaner's IO throttle). */
  cleanerChunkBytes: 1024 * 1024,
  /**
   * Aborted transactions in one segment's index: every one has a data batch and an ABORT marker of at
   * least a header each in the segment, so a segment (below 2 GiB) cannot hold more.
   */
  txnIndexEntriesPerSegmentMax: Math.floor(2 ** 31 / (2 * 61)),
  /**
   * Aborted transactions one abortedTransactions() call returns: a read of readBytesMax overlaps at most
   * one per two batch headers it holds plus one per open producer; a range asking for more is refused.
   */
  abortedTransactionsPerReadMax: Math.floor((64 * 1024 * 1024) / (2 * 61)) + 10_000,
  /** Offsets are JavaScript numbers, exact up to 2^53 - 1. */
  offsetMax: Number.MAX_SAFE_INTEGER,
} as const;
