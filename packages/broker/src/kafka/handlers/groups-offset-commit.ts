/**
 * OffsetCommit (8) v0–8 and OffsetDelete (47) v0 for Kafka clients, through the coordinator's one
 * offsets path: commits are `__consumer_offsets` records whichever API wrote them, so `trib groups
 * describe` and `reset-offsets` see them.
 *
 * OffsetCommit: fenced by the classic protocol's rules (classic.commitOffsets: member, instance id and
 * generation; generation -1 with no member id is a commit from outside group management, allowed while
 * the group has no members). v0 carries no membership and is such a commit. Commits into a group that
 * Tributary's own protocol is using go through that protocol's path (member id and member epoch, the
 * epoch in the generation field), as its gRPC commits do. Partitions of topics this broker's metadata
 * does not know are refused alone with UNKNOWN_TOPIC_OR_PARTITION, as Kafka does. v1's commit timestamp
 * and v2–4's retention time are ignored: retention is the broker's --offsets-retention-ms counted from
 * the commit, as Kafka does from v5 on (KIP-211).
 *
 * OffsetDelete: the coordinator deletes offsets only while the group has no members. With members,
 * partitions of topics the members subscribe to are refused with GROUP_SUBSCRIBED_TO_TOPIC (Kafka's
 * answer); the other partitions with GROUP_NOT_EMPTY, where Kafka would delete them.
 */
import { ERROR_CODES, type ErrorCode } from '@tributary/core';
import {
  OffsetCommit,
  OffsetDelete,
  parseVersions,
  type RequestOf,
  type ResponseInputOf,
} from '@tributary/kafka-protocol';
import type { MetadataImage } from '@tributary/metadata';
import { CONSUMER_PROTOCOL_TYPE, decodeClassicMember } from '../../group/classic-describe.js';
import type { ClassicCommitPartition, ClassicCommitRequest } from '../../group/classic-types.js';
import { commitPartitionProblem } from '../../group/classic-validate.js';
import type { GroupCoordinator, GroupDetails } from '../../group/coordinator.js';
import { GROUP_LIMITS } from '../../group/limits.js';
import { validateGroupId } from '../../group/validate.js';
import { type RegisteredHandler, registerHandler } from '../handler.js';
import type { KafkaBrokerParts } from '../parts.js';
import { COORDINATOR_NOT_AVAILABLE, failureOf, kafkaCode } from './groups-common.js';

type OffsetCommitRequest = RequestOf<typeof OffsetCommit>;
type OffsetCommitResponse = ResponseInputOf<typeof OffsetCommit>;
type OffsetDeleteRequest = RequestOf<typeof OffsetDelete>;
type OffsetDeleteResponse = ResponseInputOf<typeof OffsetDelete>;

const UNKNOWN_TOPIC_OR_PARTITION = ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION.kafka;
const INVALID_REQUEST = ERROR_CODES.INVALID_REQUEST.kafka;

export function offsetCommitHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: OffsetCommit,
    advertised: parseVersions('0-8'),
    handle: async (request): Promise<OffsetCommitResponse> => {
      const entries: ClassicCommitPartition[] = request.topics.flatMap((topic) =>
        topic.partitions.map((p) => ({
          topic: topic.name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          leaderEpoch: p.committedLeaderEpoch,
          // Kafka stores a null metadata as "".
          metadata: p.committedMetadata ?? '',
        })),
      );
      const codes = await commitCodes(parts, request, entries);
      let next = 0;
      return {
        throttleTimeMs: 0,
        topics: request.topics.map((topic) => ({
          name: topic.name,
          partitions: topic.partitions.map((p) => ({
            partitionIndex: p.partitionIndex,
            errorCode: codes[next++] ?? ERROR_CODES.UNKNOWN.kafka,
          })),
        })),
      };
    },
  });
}

function knownPartition(image: MetadataImage, topic: string, partition: number): boolean {
  return image.topicByName(topic)?.partitions.has(partition) === true;
}

/** One Kafka error code per entry, in request order. */
async function commitCodes(
  parts: KafkaBrokerParts,
  request: OffsetCommitRequest,
  entries: readonly ClassicCommitPartition[],
): Promise<number[]> {
  const coordinator = parts.groupCoordinator;
  if (coordinator === null) return entries.map(() => COORDINATOR_NOT_AVAILABLE);
  // Checked before the per-partition look-ups, which a huge request would otherwise pay for in full.
  if (entries.length > GROUP_LIMITS.partitionsPerRequestMax) return entries.map(() => INVALID_REQUEST);
  const image = parts.metadata.currentImage();
  const known = entries.map((e) => knownPartition(image, e.topic, e.partition));
  const partitions = entries.filter((_, i) => known[i]);
  const outcome =
    partitions.length === 0
      ? []
      : await commitKnown(coordinator, {
          groupId: request.groupId,
          // v0 has neither field: their defaults (-1, '') make it a commit from outside group management.
          generationId: request.generationIdOrMemberEpoch,
          memberId: request.memberId,
          groupInstanceId: request.groupInstanceId,
          partitions,
        });
  let next = 0;
  return entries.map((_, i) =>
    known[i] ? (outcome[next++] ?? ERROR_CODES.UNKNOWN.kafka) : UNKNOWN_TOPIC_OR_PARTITION,
  );
}

async function commitKnown(coordinator: GroupCoordinator, request: ClassicCommitRequest): Promise<number[]> {
  const result = await coordinator.classic.commitOffsets(request);
  // The classic path knows no members of Tributary's groups (UNKNOWN_MEMBER_ID, nothing written).
  if (result.errorCode === 'UNKNOWN_MEMBER_ID' && usesTributaryProtocol(coordinator, request.groupId)) {
    return commitToTributaryGroup(coordinator, request);
  }
  return result.partitions.map((p) => kafkaCode(p.errorCode));
}

function usesTributaryProtocol(coordinator: GroupCoordinator, groupId: string): boolean {
  return coordinator.classic.describeGroup(groupId).groupType === 'consumer';
}

/** Tributary's own commit path: its member id and epoch fence the commit; partitions judged one by one. */
async function commitToTributaryGroup(
  coordinator: GroupCoordinator,
  request: ClassicCommitRequest,
): Promise<number[]> {
  const problems = request.partitions.map(commitPartitionProblem);
  const valid = request.partitions.filter((_, i) => problems[i] === null);
  const member = { memberId: request.memberId, memberEpoch: request.generationId };
  try {
    await coordinator.commitOffsets(request.groupId, member, valid);
  } catch (error) {
    const code = kafkaCode(failureOf(error).code);
    return request.partitions.map(() => code);
  }
  return problems.map((problem) => (problem === null ? 0 : INVALID_REQUEST));
}

export function offsetDeleteHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: OffsetDelete,
    advertised: parseVersions('0'),
    handle: (request) => offsetDelete(parts, request),
  });
}

/** The answer with a group-level error (no partitions), as Kafka answers one. */
function deleteRefused(code: ErrorCode): OffsetDeleteResponse {
  return { errorCode: kafkaCode(code), throttleTimeMs: 0, topics: [] };
}

function deleteAnswer(
  request: OffsetDeleteRequest,
  codeOf: (topic: string, partition: number) => number,
): OffsetDeleteResponse {
  return {
    errorCode: 0,
    throttleTimeMs: 0,
    topics: request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        errorCode: codeOf(topic.name, p.partitionIndex),
      })),
    })),
  };
}

/** The topics the group's members subscribe to, or null when it has none; classic members decoded. */
function subscribedTopics(details: GroupDetails): { topics: Set<string>; consumer: boolean } | null {
  const tributary = details.description?.members ?? [];
  const classic = details.classic;
  if (tributary.length > 0)
    return { topics: new Set(tributary.flatMap((m) => m.subscribedTopics)), consumer: true };
  if (classic === null || classic.members.length === 0) return null;
  const topics = classic.members.flatMap(
    (m) => decodeClassicMember(m, classic.protocolType).subscribedTopics,
  );
  return { topics: new Set(topics), consumer: classic.protocolType === CONSUMER_PROTOCOL_TYPE };
}

async function offsetDelete(
  parts: KafkaBrokerParts,
  request: OffsetDeleteRequest,
): Promise<OffsetDeleteResponse> {
  const coordinator = parts.groupCoordinator;
  if (coordinator === null) return deleteRefused('COORDINATOR_NOT_AVAILABLE');
  const count = request.topics.reduce((n, topic) => n + topic.partitions.length, 0);
  if (count > GROUP_LIMITS.partitionsPerRequestMax) return deleteRefused('INVALID_REQUEST');
  let details: GroupDetails;
  try {
    details = coordinator.describeGroup(validateGroupId(request.groupId));
  } catch (error) {
    return deleteRefused(failureOf(error).code);
  }
  const image = parts.metadata.currentImage();
  const subscribed = subscribedTopics(details);
  if (subscribed !== null) {
    // Kafka: a group with members that does not speak the consumer protocol keeps its offsets whole.
    if (!subscribed.consumer) return deleteRefused('GROUP_NOT_EMPTY');
    return deleteAnswer(request, (topic, partition) => {
      if (!knownPartition(image, topic, partition)) return UNKNOWN_TOPIC_OR_PARTITION;
      return kafkaCode(subscribed.topics.has(topic) ? 'GROUP_SUBSCRIBED_TO_TOPIC' : 'GROUP_NOT_EMPTY');
    });
  }
  const known = request.topics.flatMap((topic) =>
    topic.partitions
      .filter((p) => knownPartition(image, topic.name, p.partitionIndex))
      .map((p) => ({ topic: topic.name, partition: p.partitionIndex })),
  );
  try {
    // An empty list deletes nothing; the call still refuses a group that is gone or has members now.
    await coordinator.deleteOffsets(request.groupId, known);
  } catch (error) {
    return deleteRefused(failureOf(error).code);
  }
  return deleteAnswer(request, (topic, partition) =>
    knownPartition(image, topic, partition) ? 0 : UNKNOWN_TOPIC_OR_PARTITION,
  );
}
