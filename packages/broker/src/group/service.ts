/**
 * The GroupCoordinator gRPC service (protos/tributary/v1/group.proto) over the GroupCoordinator shell.
 * Every request is validated first; a TributaryError becomes the response's error_code and
 * error_message (the contract: NOT_COORDINATOR and friends travel in the body so clients can act on
 * them), anything else is logged and answered INTERNAL by handleUnary. Bad input never crashes a broker.
 */
import { TributaryError } from '@tributary/core';
import {
  type CommittedOffset,
  type DeleteGroupOffsetsRequest__Output,
  type DescribeGroupRequest__Output,
  type FindCoordinatorRequest__Output,
  type GroupCoordinatorHandlers,
  type GroupHeartbeatRequest__Output,
  handleUnary,
  type OffsetCommitRequest__Output,
  type OffsetFetchRequest__Output,
} from '@tributary/protocol';
import type { Logger } from 'pino';
import { toTopicPartitions } from './assignment.js';
import { grpcGroupDescription } from './classic-describe.js';
import type { GroupCoordinator } from './coordinator.js';
import type { CommittedOffset as StoredOffset } from './offset-store.js';
import { topicPartitionsOf, validateGroupId, validateHeartbeat, validateOffsetCommit } from './validate.js';

/** Runs fn; a TributaryError becomes {errorCode, errorMessage} (other errors propagate as INTERNAL). */
async function answer<R extends object>(
  fn: () => Promise<R> | R,
): Promise<R | { errorCode: string; errorMessage: string }> {
  try {
    return { errorCode: '', errorMessage: '', ...(await fn()) };
  } catch (error) {
    if (error instanceof TributaryError) return { errorCode: error.code, errorMessage: error.message };
    throw error;
  }
}

function toCommitted(offset: StoredOffset): CommittedOffset {
  return {
    topic: offset.topic,
    partition: offset.partition,
    offset: offset.offset,
    leaderEpoch: offset.leaderEpoch,
    metadata: offset.metadata,
    commitTimestampMs: offset.commitTimestampMs,
  };
}

export function createGroupCoordinatorHandlers(
  coordinator: GroupCoordinator,
  logger: Logger,
): GroupCoordinatorHandlers {
  const options = {
    onUnexpectedError: (error: unknown) => logger.error({ err: error }, 'group coordinator handler failed'),
  };
  const coordinatorId = coordinator.brokerId;
  return {
    FindCoordinator: handleUnary(
      (request: FindCoordinatorRequest__Output) =>
        answer(async () => coordinator.findCoordinator(validateGroupId(request.groupId))),
      options,
    ),
    GroupHeartbeat: handleUnary(
      (request: GroupHeartbeatRequest__Output) =>
        answer(() => {
          const ownedPartitions = validateHeartbeat(request);
          const result = coordinator.heartbeat(request.groupId, { ...request, ownedPartitions });
          return {
            memberId: result.memberId,
            memberEpoch: result.memberEpoch,
            heartbeatIntervalMs: result.heartbeatIntervalMs,
            assignment: toTopicPartitions(result.assignment),
          };
        }),
      options,
    ),
    OffsetCommit: handleUnary(
      (request: OffsetCommitRequest__Output) =>
        answer(async () => {
          const commits = validateOffsetCommit(request);
          await coordinator.commitOffsets(request.groupId, request, commits);
          return {
            results: commits.map((c) => ({
              topic: c.topic,
              partition: c.partition,
              errorCode: '',
              errorMessage: '',
            })),
          };
        }),
      options,
    ),
    OffsetFetch: handleUnary(
      (request: OffsetFetchRequest__Output) =>
        answer(() => {
          validateGroupId(request.groupId);
          const wanted = topicPartitionsOf(request.topics, 'topics');
          if (request.requireStable) {
            const unstable = coordinator.unstablePartitions(
              request.groupId,
              wanted.length === 0 ? null : wanted,
            );
            const first = unstable[0];
            if (first !== undefined) {
              throw new TributaryError(
                'UNSTABLE_OFFSET_COMMIT',
                `${unstable.length} partitions (${first.topic}-${first.partition} first) have a transactional offset commit pending`,
              );
            }
          }
          const found = coordinator.fetchOffsets(request.groupId, wanted.length === 0 ? null : wanted);
          if (wanted.length === 0) return { offsets: found.map(toCommitted) };
          // Every named partition gets an answer: -1 when nothing was committed for it.
          const byKey = new Map(found.map((c) => [`${c.topic}\u0000${c.partition}`, c]));
          const offsets = wanted.map((tp) => {
            const committed = byKey.get(`${tp.topic}\u0000${tp.partition}`);
            return committed === undefined
              ? { ...tp, offset: -1, leaderEpoch: -1, metadata: '', commitTimestampMs: 0 }
              : toCommitted(committed);
          });
          return { offsets };
        }),
      options,
    ),
    ListGroups: handleUnary(
      () =>
        answer(() => ({
          groups: coordinator.listGroups().map((g) => ({ ...g, coordinatorId })),
        })),
      options,
    ),
    DescribeGroup: handleUnary(
      (request: DescribeGroupRequest__Output) =>
        answer(() => {
          const details = coordinator.describeGroup(validateGroupId(request.groupId));
          return {
            groupId: request.groupId,
            coordinatorId,
            ...grpcGroupDescription(details),
            offsets: details.offsets.map(toCommitted),
          };
        }),
      options,
    ),
    DeleteGroupOffsets: handleUnary(
      (request: DeleteGroupOffsetsRequest__Output) =>
        answer(async () => {
          validateGroupId(request.groupId);
          const wanted = topicPartitionsOf(request.topics, 'topics');
          return {
            deleted: await coordinator.deleteOffsets(request.groupId, wanted.length === 0 ? null : wanted),
          };
        }),
      options,
    ),
  };
}
