/**
 * Groups described across protocols. For the Kafka API (DescribeGroups): classic groups as Kafka shows
 * them (metadata and assignments only while Stable), Tributary's own groups in the "consumer" protocol's
 * formats (subscription and assignment encoded as a Kafka consumer would), offsets-only groups as Empty.
 * For Tributary's gRPC API: a classic member's topics and partitions, decoded from the "consumer"
 * protocol's bytes when the group uses it. Pure.
 */
import type { ErrorCode } from '@tributary/core';
import { type Assignment, EMPTY_ASSIGNMENT, toTopicPartitions } from './assignment.js';
import type { ClassicGroupDescription, ClassicMemberDescription } from './classic-types.js';
import {
  decodeConsumerAssignment,
  decodeConsumerSubscription,
  encodeConsumerAssignment,
  encodeConsumerSubscription,
} from './consumer-protocol.js';
import type { GroupDetails } from './coordinator-types.js';
import type { CoordinatorShard, GroupType } from './shard.js';

export const CONSUMER_PROTOCOL_TYPE = 'consumer';

export interface DescribedGroup {
  readonly groupId: string;
  readonly errorCode: ErrorCode | null;
  readonly errorMessage: string;
  /** Kafka's state names for classic groups, Tributary's (Empty, Reconciling, Stable) for its own; Dead when unknown. */
  readonly state: string;
  readonly protocolType: string;
  /** The classic group's selected protocol, or the assignor of one of Tributary's groups. */
  readonly protocolName: string;
  readonly groupType: GroupType;
  readonly members: readonly ClassicMemberDescription[];
}

export function describedGroupError(
  groupId: string,
  errorCode: ErrorCode,
  errorMessage: string,
): DescribedGroup {
  return {
    groupId,
    errorCode,
    errorMessage,
    state: 'Dead',
    protocolType: '',
    protocolName: '',
    groupType: 'classic',
    members: [],
  };
}

/** The group of the shard as the Kafka API describes it (GROUP_ID_NOT_FOUND, state Dead, when unknown). */
export function describeForKafka(shard: CoordinatorShard, groupId: string): DescribedGroup {
  if (!shard.knows(groupId)) {
    return describedGroupError(groupId, 'GROUP_ID_NOT_FOUND', `group ${groupId} does not exist`);
  }
  const consumer = shard.groups.get(groupId);
  if (consumer !== undefined) {
    const description = consumer.describe();
    return {
      groupId,
      errorCode: null,
      errorMessage: '',
      state: description.state,
      protocolType: CONSUMER_PROTOCOL_TYPE,
      protocolName: description.assignor,
      groupType: 'consumer',
      members: description.members.map((member) => ({
        memberId: member.memberId,
        groupInstanceId: null,
        clientId: member.clientId,
        clientHost: '',
        metadata: encodeConsumerSubscription(member.subscribedTopics),
        assignment: encodeConsumerAssignment(member.assignment),
      })),
    };
  }
  const classic = shard.classicGroups.get(groupId)?.describe();
  if (classic === undefined) {
    const empty = { errorCode: null, errorMessage: '', state: 'Empty', protocolType: '', protocolName: '' };
    return { groupId, ...empty, groupType: 'classic', members: [] };
  }
  // Kafka's GroupMetadata.summary: protocol, metadata and assignments are shown only in Stable.
  const stable = classic.state === 'Stable';
  return {
    groupId,
    errorCode: null,
    errorMessage: '',
    state: classic.state,
    protocolType: classic.protocolType,
    protocolName: stable ? classic.protocolName : '',
    groupType: 'classic',
    members: classic.members.map((member) =>
      stable ? member : { ...member, metadata: Buffer.alloc(0), assignment: Buffer.alloc(0) },
    ),
  };
}

/** A classic member's subscribed topics and assignment, when its group speaks the "consumer" protocol. */
export function decodeClassicMember(
  member: ClassicMemberDescription,
  protocolType: string,
): { subscribedTopics: string[]; assignment: Assignment } {
  if (protocolType !== CONSUMER_PROTOCOL_TYPE) return { subscribedTopics: [], assignment: EMPTY_ASSIGNMENT };
  return {
    subscribedTopics: decodeConsumerSubscription(member.metadata) ?? [],
    assignment: decodeConsumerAssignment(member.assignment) ?? EMPTY_ASSIGNMENT,
  };
}

/** A classic group in this service's terms: generation as epoch, selected protocol as assignor. */
function grpcClassicDescription(group: ClassicGroupDescription) {
  return {
    state: group.state,
    groupEpoch: group.generationId,
    assignor: group.protocolName,
    protocolType: group.protocolType,
    groupType: 'classic',
    members: group.members.map((m) => {
      const decoded = decodeClassicMember(m, group.protocolType);
      return {
        memberId: m.memberId,
        clientId: m.clientId,
        memberEpoch: group.generationId,
        subscribedTopics: decoded.subscribedTopics,
        assignment: toTopicPartitions(decoded.assignment),
        pendingRevocation: [],
        groupInstanceId: m.groupInstanceId ?? '',
        clientHost: m.clientHost,
      };
    }),
  };
}

/**
 * DescribeGroup's answer over gRPC for whichever protocol uses the group (offsets-only groups: Empty,
 * type classic as Kafka's simple groups).
 */
export function grpcGroupDescription({ description, classic }: GroupDetails) {
  if (classic !== null) return grpcClassicDescription(classic);
  return {
    state: description?.state ?? 'Empty',
    groupEpoch: description?.groupEpoch ?? 0,
    assignor: description?.assignor ?? '',
    protocolType: description === null ? '' : CONSUMER_PROTOCOL_TYPE,
    groupType: description === null ? 'classic' : 'consumer',
    members: (description?.members ?? []).map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      memberEpoch: m.memberEpoch,
      subscribedTopics: [...m.subscribedTopics],
      assignment: toTopicPartitions(m.assignment),
      pendingRevocation: toTopicPartitions(m.pendingRevocation),
      groupInstanceId: '',
      clientHost: '',
    })),
  };
}
