/**
 * DeleteRecords on the leader (Kafka's deleteRecordsOnLeader and DelayedDeleteRecords, KIP-107): the log
 * start moves forward to the requested offset (-1: the high watermark) durably, the followers' long polls
 * are woken so they take the new start at once, and the answer waits until every in-sync replica reports
 * a log start at or past it (ReplicaFetchPartition.log_start_offset), so that a new leader from the ISR
 * cannot serve what a client was told is deleted. The wait is bounded by the request's timeout; past it
 * the leader's own start has moved anyway and the answer is REQUEST_TIMED_OUT (a retry is a no-op).
 */
import { assert, type ErrorCode, WIRE_LIMITS } from '@tributary/core';
import type { DeleteRecordsPartitionResult__Output, DeleteRecordsRequest__Output } from '@tributary/protocol';
import { toPartitionError } from './errors.js';
import type { Partition } from './partition.js';
import { checkLeader, leaderHint, type RequestContext, waitForAny } from './request-context.js';

export const DELETE_RECORDS_LIMITS = {
  /** The longest a DeleteRecords may wait for the ISR (Produce's bound). */
  timeoutMsMax: WIRE_LIMITS.deleteRecordsTimeoutMsMax,
  /** A gRPC request's 0 (proto3 cannot tell it from unset): Kafka's admin client default. */
  defaultTimeoutMs: 30_000,
} as const;

/** Kafka's DeleteRecordsRequest.HIGH_WATERMARK: delete everything consumers can see. */
export const DELETE_TO_HIGH_WATERMARK = -1;

type Result = DeleteRecordsPartitionResult__Output;

/** `request.timeoutMs` is used as given (0: answer without waiting); the gRPC service maps 0 to the default. */
export async function handleDeleteRecords(
  context: RequestContext,
  request: DeleteRecordsRequest__Output,
): Promise<Result[]> {
  const timeoutMs = Math.max(0, Math.min(request.timeoutMs, DELETE_RECORDS_LIMITS.timeoutMsMax));
  const deadlineMs = performance.now() + timeoutMs;
  const work: Promise<Result>[] = [];
  for (const topic of request.topics) {
    for (const wanted of topic.partitions) {
      work.push(
        deleteOne(context, { topic: topic.name, partition: wanted.partition }, wanted.offset, deadlineMs),
      );
    }
  }
  return Promise.all(work);
}

async function deleteOne(
  context: RequestContext,
  base: { readonly topic: string; readonly partition: number },
  requestedOffset: number,
  deadlineMs: number,
): Promise<Result> {
  const checked = checkLeader(context, base.topic, base.partition);
  if ('code' in checked) return failed(context, base, checked.code, checked.message);
  const { partition } = checked;
  const leaderEpoch = partition.leaderEpoch;
  const highWatermark = partition.highWatermark;
  const offset = requestedOffset === DELETE_TO_HIGH_WATERMARK ? highWatermark : requestedOffset;
  // Kafka: below -1 or past the high watermark (consumers cannot see those records yet) is out of range.
  if (offset < 0 || offset > highWatermark) {
    const message = `offset ${requestedOffset} is outside [0, high watermark ${highWatermark}]`;
    return failed(context, base, 'OFFSET_OUT_OF_RANGE', message);
  }
  try {
    await partition.log.advanceLogStartOffset(offset);
  } catch (error) {
    const failure = toPartitionError(error);
    return failed(context, base, failure.code, failure.message);
  }
  if (partition.role.kind !== 'leader' || partition.leaderEpoch !== leaderEpoch) {
    return failed(context, base, 'NOT_LEADER', 'leadership moved while the log start moved');
  }
  partition.onLeaderLogStartMoved();
  const outcome = await waitForIsr(partition, { leaderEpoch, offset, deadlineMs });
  if (outcome !== null) return failed(context, base, outcome.code, outcome.message);
  const lowWatermark = partition.log.logStartOffset;
  assert(lowWatermark >= offset, 'the log start never moves back under a leader');
  return { ...base, errorCode: '', errorMessage: '', lowWatermark, leaderId: context.brokerId, leaderEpoch };
}

/**
 * Waits until every ISR member's log start is at `offset` or past it: null when it is, else why not.
 * Each round waits for the next change of the leader's view (a follower fetch, an ISR change, a role
 * change) or the deadline, so it takes no more rounds than there are such events before the deadline.
 */
async function waitForIsr(
  partition: Partition,
  target: { readonly leaderEpoch: number; readonly offset: number; readonly deadlineMs: number },
): Promise<{ readonly code: ErrorCode; readonly message: string } | null> {
  for (;;) {
    const state = partition.leaderState();
    if (state === null || partition.leaderEpoch !== target.leaderEpoch) {
      return { code: 'NOT_LEADER', message: 'leadership moved while the followers caught up' };
    }
    const lowest = state.isrLogStartOffset(partition.log.logStartOffset);
    if (lowest >= target.offset) return null;
    const remainingMs = target.deadlineMs - performance.now();
    if (remainingMs <= 0) {
      const message = `the in-sync replicas' lowest log start is ${lowest}, not yet ${target.offset}`;
      return { code: 'REQUEST_TIMED_OUT', message };
    }
    let refused = false;
    await waitForAny(
      [partition],
      (waitOn, wake) => {
        const unsubscribe = waitOn.onLeaderStateChange(wake);
        refused = unsubscribe === null;
        return unsubscribe;
      },
      remainingMs,
    );
    // Too many requests parked on this partition: answer rather than poll (the log start has moved).
    if (refused) return { code: 'RESOURCE_EXHAUSTED', message: 'too many requests wait on this partition' };
  }
}

function failed(
  context: RequestContext,
  base: { readonly topic: string; readonly partition: number },
  code: ErrorCode,
  message: string,
): Result {
  return {
    ...base,
    errorCode: code,
    errorMessage: message,
    lowWatermark: -1,
    ...leaderHint(context, base.topic, base.partition),
  };
}
