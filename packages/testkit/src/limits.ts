/**
 * Named limits for the harness: every wait, retry loop and buffer in the testkit has a bound, so a
 * controller that hangs makes a test fail with a message instead of hanging the run.
 */
export const HARNESS_LIMITS = {
  /** Lines of a child's stdout/stderr kept for the failure dump, and the longest line kept. */
  logLinesMax: 2_000,
  logLineCharsMax: 4_096,
  /**
   * From spawn until the port answers (DescribeQuorum, or Metadata for a broker). It bounds a wait, it does not
   * assert a speed: in a CI run at load 15 on two cores a broker took 11 s from spawn to its first log line and
   * then 5 s to register through a controller election, and startCluster failed at 15 s.
   */
  readyTimeoutMs: 30_000,
  /** After a signal, how long to wait for the process to exit (SIGTERM escalates to SIGKILL after it). */
  exitTimeoutMs: 10_000,
  /** Deadline of one RPC made by the harness. */
  rpcDeadlineMs: 2_000,
  /** Polling period of waitFor loops. */
  pollIntervalMs: 50,
  /** Attempts of one leader-following admin call (protocol caps it at 100), and its total time. */
  adminAttemptsMax: 100,
  adminCallTimeoutMs: 15_000,
} as const;
