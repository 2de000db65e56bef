/**
 * The leader side of replica fetch (DESIGN §6): epoch fencing, divergence detection (the follower
 * truncates before it fetches), follower progress for the high watermark and the ISR, and a long poll that
 * wakes on the next append.
 */
import type { ErrorCode } from '@tributary/core';
import type {
  ReplicaFetchPartition__Output,
  ReplicaFetchPartitionResult,
  ReplicaFetchRequest__Output,
} from '@tributary/protocol';
import { REPLICA_LIMITS } from './config.js';
import { toPartitionError } from './errors.js';
import type { Partition } from './partition.js';
import { checkLeader, type RequestContext, waitForAny } from './request-context.js';

export async function handleReplicaFetch(
  context: RequestContext,
  request: ReplicaFetchRequest__Output,
): Promise<ReplicaFetchPartitionResult[]> {
  const maxWaitMs = Math.min(request.maxWaitMs, REPLICA_LIMITS.fetchMaxWaitMsMax);
  const first = await readForReplica(context, request, true);
  if (maxWaitMs <= 0 || first.bytes > 0 || first.answerNow || first.waitOn.length === 0) return first.results;
  await waitForAny(first.waitOn, (partition, wake) => partition.onAppend(wake), maxWaitMs);
  return (await readForReplica(context, request, false)).results;
}

async function readForReplica(
  context: RequestContext,
  request: ReplicaFetchRequest__Output,
  recordProgress: boolean,
): Promise<{
  results: ReplicaFetchPartitionResult[];
  bytes: number;
  answerNow: boolean;
  waitOn: Partition[];
}> {
  let remainingBytes = Math.min(
    request.maxBytes || REPLICA_LIMITS.fetchBytesMax,
    REPLICA_LIMITS.fetchBytesMax,
  );
  const results: ReplicaFetchPartitionResult[] = [];
  const waitOn: Partition[] = [];
  let bytes = 0;
  let answerNow = false;
  for (const wanted of request.partitions) {
    const outcome = await replicaFetchOne(context, request.replicaId, wanted, {
      recordProgress,
      remainingBytes,
    });
    results.push(outcome.result);
    if (outcome.partition === null) answerNow = true;
    else waitOn.push(outcome.partition);
    const length = outcome.result.records?.length ?? 0;
    remainingBytes -= length;
    bytes += length;
  }
  return { results, bytes, answerNow, waitOn };
}

async function replicaFetchOne(
  context: RequestContext,
  replicaId: number,
  wanted: ReplicaFetchPartition__Output,
  options: { recordProgress: boolean; remainingBytes: number },
): Promise<{ result: ReplicaFetchPartitionResult; partition: Partition | null }> {
  const base = { topic: wanted.topic, partition: wanted.partition };
  const fail = (code: ErrorCode, message: string) => ({
    result: {
      ...base,
      errorCode: code,
      errorMessage: message,
      highWatermark: -1,
      logStartOffset: -1,
      leaderEpoch: -1,
    },
    partition: null,
  });
  const checked = checkLeader(context, wanted.topic, wanted.partition, wanted.currentLeaderEpoch);
  if ('code' in checked) return fail(checked.code, checked.message);
  const { partition } = checked;
  const state = partition.leaderState();
  if (state === null || replicaId === context.brokerId || !state.replicas.includes(replicaId)) {
    return fail('NOT_LEADER', `broker ${replicaId} is not a follower of ${wanted.topic}-${wanted.partition}`);
  }
  const log = partition.log;
  const answer = (extra: Partial<ReplicaFetchPartitionResult>, waitable: boolean) => ({
    result: {
      ...base,
      errorCode: '',
      errorMessage: '',
      highWatermark: partition.highWatermark,
      logStartOffset: log.logStartOffset,
      leaderEpoch: partition.leaderEpoch,
      ...extra,
    },
    partition: waitable ? partition : null,
  });
  const diverging = divergingEpoch(partition, wanted);
  if (diverging !== null) return answer({ divergingEpoch: diverging }, false);
  if (wanted.fetchOffset < log.logStartOffset) {
    const errorMessage = `offset ${wanted.fetchOffset} < log start ${log.logStartOffset}`;
    return answer({ errorCode: 'OFFSET_OUT_OF_RANGE', errorMessage }, false);
  }
  if (options.recordProgress) {
    // The log end may be ahead of the state when an append resolved but its continuation has not run.
    if (log.logEndOffset > state.leaderLogEndOffset) partition.onLeaderAppend(log.logEndOffset);
    state.recordFollowerFetch(replicaId, wanted.fetchOffset, context.clock.nowMs());
    state.recordFollowerLogStart(replicaId, wanted.logStartOffset, wanted.fetchOffset);
    partition.onLeaderStateChanged();
    context.afterFollowerFetch(partition);
  }
  if (wanted.fetchOffset >= log.logEndOffset || options.remainingBytes <= 0) return answer({}, true);
  try {
    const read = await log.read(wanted.fetchOffset, {
      maxBytes: options.remainingBytes,
      maxOffset: log.logEndOffset,
    });
    return answer({ records: read.bytes }, read.bytes.length === 0);
  } catch (error) {
    context.onReadFailure(partition, error);
    const failure = toPartitionError(error);
    return fail(failure.code, failure.message);
  }
}

/**
 * KIP-320/KIP-595 divergence: the follower's last epoch must end at or after its fetch offset in the
 * leader's log, else it truncates first. A fetch past the leader's end with no epoch is cut to that end.
 */
function divergingEpoch(
  partition: Partition,
  wanted: ReplicaFetchPartition__Output,
): { epoch: number; endOffset: number } | null {
  const logEnd = partition.log.logEndOffset;
  if (wanted.lastFetchedEpoch < 0) {
    return wanted.fetchOffset > logEnd ? { epoch: -1, endOffset: logEnd } : null;
  }
  const end = partition.log.endOffsetForEpoch(wanted.lastFetchedEpoch);
  if (end.leaderEpoch !== wanted.lastFetchedEpoch || end.endOffset < wanted.fetchOffset) {
    return { epoch: end.leaderEpoch, endOffset: end.endOffset };
  }
  return null;
}
