/**
 * OffsetFetch (9) v0–8: a group's committed offsets from the coordinator's store, whichever API
 * committed them. A named partition without a commit answers offset -1 (Kafka's INVALID_OFFSET) with no
 * error; a null topic list (v2+) asks for every committed offset of the group. v8 batches groups
 * (KIP-709), each answered with its own error. RequireStable (v7, KIP-447): a partition whose
 * transactional offset commit awaits its marker answers UNSTABLE_OFFSET_COMMIT (offset -1), which the
 * client retries, as Kafka's coordinator does; without it the pending offset is simply not shown yet.
 *
 * A group-level failure (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, ...) is the top-level error from
 * v2 on, with no partitions; v0–1 have no top-level error, so each asked partition carries it, as Kafka
 * answers those versions.
 */
import { ERROR_CODES } from '@tributary/core';
import { OffsetFetch, parseVersions, type RequestOf, type ResponseInputOf } from '@tributary/kafka-protocol';
import type { TopicPartition } from '../../group/assignment.js';
import { CLASSIC_GROUP_LIMITS, GROUP_LIMITS } from '../../group/limits.js';
import type { CommittedOffset } from '../../group/offset-store.js';
import { validateGroupId } from '../../group/validate.js';
import { type RegisteredHandler, registerHandler } from '../handler.js';
import type { KafkaBrokerParts } from '../parts.js';
import { failureOf, kafkaCode } from './groups-common.js';

type OffsetFetchRequest = RequestOf<typeof OffsetFetch>;
type OffsetFetchResponse = ResponseInputOf<typeof OffsetFetch>;
type ResponseTopic = OffsetFetchResponse['topics'][number];
type ResponsePartition = ResponseTopic['partitions'][number];

/** The topics asked for: each with partition indexes; null = every committed offset of the group. */
type AskedTopics = readonly { readonly name: string; readonly partitionIndexes: readonly number[] }[] | null;

/** The first version with a top-level error code. */
const FIRST_TOP_LEVEL_ERROR_VERSION = 2;
/** The first version that batches groups (KIP-709). */
const FIRST_BATCHED_VERSION = 8;
/** Kafka's answer for a partition with no committed offset: offset -1, no metadata, no epoch. */
const NO_OFFSET = -1;

interface GroupOffsets {
  readonly errorCode: number;
  readonly topics: ResponseTopic[];
}

export function offsetFetchHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: OffsetFetch,
    advertised: parseVersions('0-8'),
    handle: (request, context) => offsetFetch(parts, request, context.header.apiVersion),
  });
}

function offsetFetch(
  parts: KafkaBrokerParts,
  request: OffsetFetchRequest,
  version: number,
): OffsetFetchResponse {
  if (version >= FIRST_BATCHED_VERSION) {
    const tooMany = request.groups.length > CLASSIC_GROUP_LIMITS.groupsPerRequestMax;
    return {
      throttleTimeMs: 0,
      topics: [],
      errorCode: 0,
      groups: request.groups.map((group) => {
        const answer = tooMany
          ? { errorCode: ERROR_CODES.INVALID_REQUEST.kafka, topics: [] }
          : groupOffsets(parts, group.groupId, group.topics, request.requireStable);
        return { groupId: group.groupId, ...answer };
      }),
    };
  }
  const answer = groupOffsets(parts, request.groupId, request.topics, request.requireStable);
  if (answer.errorCode !== 0 && version < FIRST_TOP_LEVEL_ERROR_VERSION) {
    // v0–1 topics are never null: every asked partition carries the group's error.
    const topics = (request.topics ?? []).map((topic) => ({
      name: topic.name,
      partitions: topic.partitionIndexes.map((partition) => noOffset(partition, answer.errorCode)),
    }));
    return { throttleTimeMs: 0, topics, errorCode: 0, groups: [] };
  }
  return { throttleTimeMs: 0, topics: answer.topics, errorCode: answer.errorCode, groups: [] };
}

function noOffset(partitionIndex: number, errorCode: number): ResponsePartition {
  return {
    partitionIndex,
    committedOffset: NO_OFFSET,
    committedLeaderEpoch: -1,
    metadata: '',
    errorCode,
  };
}

function committed(offset: CommittedOffset): ResponsePartition {
  return {
    partitionIndex: offset.partition,
    committedOffset: offset.offset,
    committedLeaderEpoch: offset.leaderEpoch,
    metadata: offset.metadata,
    errorCode: 0,
  };
}

function groupOffsets(
  parts: KafkaBrokerParts,
  groupId: string,
  asked: AskedTopics,
  requireStable: boolean,
): GroupOffsets {
  const failed = (code: number): GroupOffsets => ({ errorCode: code, topics: [] });
  const coordinator = parts.groupCoordinator;
  if (coordinator === null) return failed(ERROR_CODES.COORDINATOR_NOT_AVAILABLE.kafka);
  const wanted: TopicPartition[] | null =
    asked === null
      ? null
      : asked.flatMap((topic) =>
          topic.partitionIndexes.map((partition) => ({ topic: topic.name, partition })),
        );
  if (wanted !== null && wanted.length > GROUP_LIMITS.partitionsPerRequestMax) {
    return failed(ERROR_CODES.INVALID_REQUEST.kafka);
  }
  let found: CommittedOffset[];
  const unstable = new Set<string>();
  try {
    const validated = validateGroupId(groupId);
    found = coordinator.fetchOffsets(validated, wanted);
    if (requireStable) {
      for (const tp of coordinator.unstablePartitions(validated, wanted)) {
        unstable.add(`${tp.topic}\u0000${tp.partition}`);
      }
    }
  } catch (error) {
    return failed(kafkaCode(failureOf(error).code));
  }
  const unstableCode = ERROR_CODES.UNSTABLE_OFFSET_COMMIT.kafka;
  const answer = (topic: string, partition: number, offset: CommittedOffset | undefined) => {
    if (unstable.has(`${topic}\u0000${partition}`)) return noOffset(partition, unstableCode);
    return offset === undefined ? noOffset(partition, 0) : committed(offset);
  };
  if (asked === null) {
    const topics = byTopic(found).map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p) =>
        unstable.has(`${topic.name}\u0000${p.partitionIndex}`) ? noOffset(p.partitionIndex, unstableCode) : p,
      ),
    }));
    return { errorCode: 0, topics };
  }
  const byKey = new Map(found.map((c) => [`${c.topic}\u0000${c.partition}`, c]));
  return {
    errorCode: 0,
    topics: asked.map((topic) => ({
      name: topic.name,
      partitions: topic.partitionIndexes.map((partition) =>
        answer(topic.name, partition, byKey.get(`${topic.name}\u0000${partition}`)),
      ),
    })),
  };
}

/** Every committed offset of the group, one entry per topic (the store answers them sorted). */
function byTopic(found: readonly CommittedOffset[]): ResponseTopic[] {
  const topics: ResponseTopic[] = [];
  let current: { name: string; partitions: ResponsePartition[] } | null = null;
  for (const offset of found) {
    if (current === null || current.name !== offset.topic) {
      current = { name: offset.topic, partitions: [] };
      topics.push(current);
    }
    current.partitions.push(committed(offset));
  }
  return topics;
}
