/**
 * Bounds of the transaction and compaction end-to-end tests (issue 14) and of their child processes, in one
 * place: every wait, loop and restart those tests make is bounded by a number here.
 */
export const TXN_E2E_LIMITS = {
  /** A worker (pipeline or zombie) that does not print what the test waits for within this is a failure. */
  workerStepTimeoutMs: 30_000,
  /** Exactly-once pipeline: how often its worker may exit on its own (an error) and be restarted. */
  pipelineRestartsMax: 12,
  /** Fetch rounds of one read of a whole partition (each round returns at least one batch or ends). */
  readRoundsMax: 2_000,
  /** Bytes of one fetch of a read-back. */
  readMaxBytes: 1024 * 1024,
  /** The zombie producer waits this long for SIGUSR1 before giving up (the test failed meanwhile). */
  zombieResumeTimeoutMs: 90_000,
  /** Bound on one transactional call (init, add, offsets, end) of a worker, retries included. */
  operationTimeoutMs: 30_000,
  /** Group session timeout of the pipeline's member: a SIGKILLed member's partitions move after it. */
  pipelineSessionTimeoutMs: 4_000,
  /** The pipeline's transaction timeout: a transaction left open by a kill is aborted at least by then. */
  pipelineTransactionTimeoutMs: 15_000,
} as const;

/** Errors that say "an instance with a newer epoch exists": the only ways a fenced zombie may fail. */
export const FENCING_ERROR_CODES: readonly string[] = [
  'PRODUCER_FENCED',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
];
