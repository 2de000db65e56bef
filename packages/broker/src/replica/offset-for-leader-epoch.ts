/**
 * OffsetForLeaderEpoch for consumers (KIP-320): after a leader change a consumer asks the leader where the
 * epoch of its last consumed record ends, and finds its position truncated when that end is below it (or
 * the answered epoch is older). Followers replicate over gRPC and find divergence in replica fetch
 * (replica-fetch.ts), so only the leader answers, from the same epoch cache.
 */
import { assert, type ErrorCode } from '@tributary/core';
import { checkLeader, type RequestContext } from './request-context.js';

export interface LeaderEpochQuery {
  readonly topic: string;
  readonly partition: number;
  /** The leader epoch the client believes current (-1: not checked), for fencing as in Fetch. */
  readonly currentLeaderEpoch: number;
  /** The epoch whose end offset is asked for. */
  readonly leaderEpoch: number;
}

export interface LeaderEpochEndOffset {
  readonly topic: string;
  readonly partition: number;
  /** '' on success. */
  readonly errorCode: ErrorCode | '';
  readonly errorMessage: string;
  /** The largest epoch <= the requested one this leader knows; -1 (with endOffset -1) when none. */
  readonly leaderEpoch: number;
  readonly endOffset: number;
}

const UNDEFINED = { leaderEpoch: -1, endOffset: -1 } as const;

/** One answer per query, in the queries' order (a partition may be asked about more than one epoch). */
export function handleOffsetForLeaderEpoch(
  context: RequestContext,
  queries: readonly LeaderEpochQuery[],
): LeaderEpochEndOffset[] {
  return queries.map((query) => answer(context, query));
}

function answer(context: RequestContext, query: LeaderEpochQuery): LeaderEpochEndOffset {
  const { topic, partition: index } = query;
  const base = { topic, partition: index };
  const checked = checkLeader(context, topic, index, query.currentLeaderEpoch);
  if ('code' in checked)
    return { ...base, errorCode: checked.code, errorMessage: checked.message, ...UNDEFINED };
  const { partition } = checked;
  const log = partition.log;
  const found = endOffsetOf(query.leaderEpoch, partition.leaderEpoch, log);
  assert(found.endOffset <= log.logEndOffset, 'an epoch ends at or before the log end');
  return { ...base, errorCode: '', errorMessage: '', ...found };
}

/**
 * Kafka's LeaderEpochFileCache.endOffsetFor as the leader answers it. The current epoch ends at the log end
 * (Kafka's leader has its epoch in the cache from the moment it leads; ours records it at its first append,
 * so the current epoch is answered here even before then); a later epoch is unknown (UNDEFINED); anything
 * else comes from the epoch cache (the largest epoch <= the requested one, ending where the next starts;
 * an epoch older than the log start answers itself and the log start).
 */
export function endOffsetOf(
  requestedEpoch: number,
  currentEpoch: number,
  log: {
    readonly logEndOffset: number;
    endOffsetForEpoch(epoch: number): { leaderEpoch: number; endOffset: number };
  },
): { readonly leaderEpoch: number; readonly endOffset: number } {
  if (requestedEpoch < 0 || requestedEpoch > currentEpoch) return UNDEFINED;
  if (requestedEpoch === currentEpoch) return { leaderEpoch: currentEpoch, endOffset: log.logEndOffset };
  return log.endOffsetForEpoch(requestedEpoch);
}
