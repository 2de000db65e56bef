import type { TributaryError } from '@tributary/core';
import type { LeaderFollowingClient } from '@tributary/testkit';

export interface ThroughputRun {
  readonly topics: number;
  readonly records: number;
  readonly elapsedMs: number;
  readonly topicsPerSecond: number;
  readonly recordsPerSecond: number;
  readonly errors: number;
  readonly lastError: string | undefined;
}

export interface ThroughputOptions {
  readonly clients: readonly LeaderFollowingClient[];
  readonly durationMs: number;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Unique per run, so names never collide across runs. */
  readonly namePrefix: string;
}

/** A worker that sees this many failures stops: the run is broken, not slow. */
const ERRORS_PER_WORKER_MAX = 100;
const CALL_TIMEOUT_MS = 5_000;

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as TributaryError).code)
    : undefined;
}

/**
 * K workers, each with its own connection, issue CreateTopic back to back for `durationMs`; each commit
 * is one Raft entry of 1 Topic + P Partition records. TOPIC_ALREADY_EXISTS on a retried call means an
 * earlier attempt committed, so it counts as committed. The rate divides by the time until the last
 * in-flight call finished.
 */
export async function measureThroughput(options: ThroughputOptions): Promise<ThroughputRun> {
  const startedMs = performance.now();
  const endMs = startedMs + options.durationMs;
  let topics = 0;
  let errors = 0;
  let lastError: string | undefined;
  const worker = async (client: LeaderFollowingClient, workerIndex: number): Promise<void> => {
    let workerErrors = 0;
    for (let sequence = 0; performance.now() < endMs && workerErrors < ERRORS_PER_WORKER_MAX; sequence++) {
      const name = `${options.namePrefix}-w${workerIndex}-${sequence}`;
      try {
        await client.admin(
          'CreateTopic',
          { name, partitions: options.partitions, replicationFactor: options.replicationFactor },
          { timeoutMs: CALL_TIMEOUT_MS },
        );
        topics++;
      } catch (error) {
        if (codeOf(error) === 'TOPIC_ALREADY_EXISTS') {
          topics++;
          continue;
        }
        errors++;
        workerErrors++;
        lastError = error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(options.clients.map((client, index) => worker(client, index)));
  const elapsedMs = performance.now() - startedMs;
  const records = topics * (1 + options.partitions);
  return {
    topics,
    records,
    elapsedMs,
    topicsPerSecond: (topics * 1_000) / elapsedMs,
    recordsPerSecond: (records * 1_000) / elapsedMs,
    errors,
    lastError,
  };
}
