/**
 * Validation of GroupCoordinator requests: ids, list sizes and ranges are checked before anything
 * reaches the coordinator, and every problem is a typed error naming the field (INVALID_GROUP_ID for
 * the group id, INVALID_REQUEST otherwise). Pure.
 */
import { TributaryError } from '@tributary/core';
import {
  type GroupHeartbeatRequest__Output,
  type OffsetCommitRequest__Output,
  requireCountAtMost,
  requireIntInRange,
  requireNonEmpty,
  requireSafeUint,
  type TopicPartitions__Output,
} from '@tributary/protocol';
import type { TopicPartition } from './assignment.js';
import { GROUP_LIMITS } from './limits.js';

const INT32_MAX = 0x7fff_ffff;

function invalid(message: string): TributaryError {
  return new TributaryError('INVALID_REQUEST', message);
}

export function validateGroupId(groupId: string): string {
  if (groupId.length === 0) throw new TributaryError('INVALID_GROUP_ID', 'group_id is required');
  if (groupId.length > GROUP_LIMITS.groupIdLengthMax) {
    throw new TributaryError(
      'INVALID_GROUP_ID',
      `group_id is ${groupId.length} characters; the limit is ${GROUP_LIMITS.groupIdLengthMax}`,
    );
  }
  return groupId;
}

function requireLengthAtMost(value: string, field: string, max: number): void {
  if (value.length > max) throw invalid(`${field} is ${value.length} characters; the limit is ${max}`);
}

/** Topic-partition lists: bounded, names present, partitions in int32 range, nothing named twice. */
export function topicPartitionsOf(
  topics: readonly TopicPartitions__Output[],
  field: string,
): TopicPartition[] {
  requireCountAtMost(topics, field, GROUP_LIMITS.partitionsPerRequestMax);
  const out: TopicPartition[] = [];
  const seen = new Set<string>();
  for (const entry of topics) {
    requireNonEmpty(entry.topic, `${field}.topic`);
    for (const partition of entry.partitions) {
      requireIntInRange(partition, `${field}.partitions`, { max: INT32_MAX });
      const key = `${entry.topic}\u0000${partition}`;
      if (seen.has(key)) throw invalid(`${field} names ${entry.topic}-${partition} twice`);
      seen.add(key);
      out.push({ topic: entry.topic, partition });
      if (out.length > GROUP_LIMITS.partitionsPerRequestMax) {
        throw invalid(`${field} names more than ${GROUP_LIMITS.partitionsPerRequestMax} partitions`);
      }
    }
  }
  return out;
}

export function validateHeartbeat(request: GroupHeartbeatRequest__Output): TopicPartition[] {
  validateGroupId(request.groupId);
  requireNonEmpty(request.memberId, 'member_id');
  requireLengthAtMost(request.memberId, 'member_id', GROUP_LIMITS.memberIdLengthMax);
  requireLengthAtMost(request.clientId, 'client_id', GROUP_LIMITS.clientIdLengthMax);
  requireIntInRange(request.memberEpoch, 'member_epoch', { min: -1, max: INT32_MAX });
  requireCountAtMost(request.subscribedTopics, 'subscribed_topics', GROUP_LIMITS.subscribedTopicsMax);
  for (const topic of request.subscribedTopics) requireNonEmpty(topic, 'subscribed_topics');
  requireIntInRange(request.rebalanceTimeoutMs, 'rebalance_timeout_ms');
  requireIntInRange(request.sessionTimeoutMs, 'session_timeout_ms');
  return topicPartitionsOf(request.ownedPartitions, 'owned_partitions');
}

export interface ValidCommit extends TopicPartition {
  readonly offset: number;
  readonly leaderEpoch: number;
  readonly metadata: string;
}

export function validateOffsetCommit(request: OffsetCommitRequest__Output): ValidCommit[] {
  validateGroupId(request.groupId);
  requireLengthAtMost(request.memberId, 'member_id', GROUP_LIMITS.memberIdLengthMax);
  requireIntInRange(request.memberEpoch, 'member_epoch', { min: -1, max: INT32_MAX });
  requireCountAtMost(request.topics, 'topics', GROUP_LIMITS.partitionsPerRequestMax);
  const out: ValidCommit[] = [];
  const seen = new Set<string>();
  for (const topic of request.topics) {
    requireNonEmpty(topic.name, 'topics.name');
    for (const p of topic.partitions) {
      requireIntInRange(p.partition, 'topics.partitions.partition', { max: INT32_MAX });
      requireSafeUint(p.offset, 'topics.partitions.offset');
      requireIntInRange(p.leaderEpoch, 'topics.partitions.leader_epoch', { min: -1, max: INT32_MAX });
      if (Buffer.byteLength(p.metadata, 'utf8') > GROUP_LIMITS.metadataBytesMax) {
        throw invalid(`topics.partitions.metadata is longer than ${GROUP_LIMITS.metadataBytesMax} bytes`);
      }
      const key = `${topic.name}\u0000${p.partition}`;
      if (seen.has(key)) throw invalid(`topics names ${topic.name}-${p.partition} twice`);
      seen.add(key);
      out.push({
        topic: topic.name,
        partition: p.partition,
        offset: p.offset,
        leaderEpoch: p.leaderEpoch,
        metadata: p.metadata,
      });
      if (out.length > GROUP_LIMITS.partitionsPerRequestMax) {
        throw invalid(`topics name more than ${GROUP_LIMITS.partitionsPerRequestMax} partitions`);
      }
    }
  }
  return out;
}
