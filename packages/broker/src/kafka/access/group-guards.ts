/**
 * Authorization of the group APIs, Kafka's rules (KafkaApis): FindCoordinator needs Describe on the group
 * (or the transactional id) per key; JoinGroup, SyncGroup, Heartbeat and LeaveGroup Read on the group;
 * OffsetCommit Read on the group (else every partition is GROUP_AUTHORIZATION_FAILED) and Read on each
 * topic; OffsetFetch Describe on the group and answers only topics the caller may Describe; OffsetDelete
 * Delete on the group and Read on each topic; ListGroups lists everything for Describe on the cluster,
 * else the groups the caller may Describe; DescribeGroups Describe and DeleteGroups Delete per group.
 */
import {
  DeleteGroups,
  DescribeGroups,
  FindCoordinator,
  Heartbeat,
  JoinGroup,
  LeaveGroup,
  ListGroups,
  OffsetCommit,
  OffsetDelete,
  OffsetFetch,
  type RequestOf,
  type ResponseInputOf,
  SyncGroup,
} from '@tributary/kafka-protocol';
import { CLUSTER_RESOURCE_NAME, type ResourceType } from '@tributary/security';
import {
  checkerOf,
  guardApi,
  type KafkaApiAccess,
  type KafkaGuardContext,
  type KafkaGuardOutcome,
  perPart,
  type Refusal,
  refusalOf,
  split,
  visible,
  wholeRequest,
} from './kafka-guard.js';

type OffsetFetchRequest = RequestOf<typeof OffsetFetch>;
type OffsetFetchResponse = ResponseInputOf<typeof OffsetFetch>;
type OffsetFetchTopic = OffsetFetchResponse['topics'][number];
type OffsetFetchRequestTopic = NonNullable<OffsetFetchRequest['topics']>[number];

const EMPTY_BYTES = Buffer.alloc(0);
/** KIP-430: "authorized operations not requested". */
const AUTHORIZED_OPERATIONS_OMITTED = -2_147_483_648;
/** FindCoordinator's key types. */
const KEY_TYPE_GROUP = 0;
const KEY_TYPE_TRANSACTION = 1;
/** FindCoordinator batches keys from v4 (KIP-699). */
const FIND_COORDINATOR_FIRST_BATCHED_VERSION = 4;
/** JoinGroup's protocol name is nullable from v7 (an empty string before). */
const JOIN_GROUP_FIRST_NULLABLE_PROTOCOL_VERSION = 7;
/** OffsetFetch answers a group error in one field from v2, in every partition before. */
const OFFSET_FETCH_FIRST_TOP_LEVEL_ERROR_VERSION = 2;
/** OffsetFetch asks for many groups from v8 (KIP-709). */
const OFFSET_FETCH_FIRST_GROUPS_VERSION = 8;

function coordinatorKeyRefusal(context: KafkaGuardContext, keyType: number, key: string): Refusal | null {
  const resourceType: ResourceType | null =
    keyType === KEY_TYPE_GROUP ? 'Group' : keyType === KEY_TYPE_TRANSACTION ? 'TransactionalId' : null;
  // Another key type is the handler's to refuse.
  return resourceType === null ? null : refusalOf(context, 'Describe', resourceType, key);
}

export const findCoordinatorAccess: KafkaApiAccess = guardApi(FindCoordinator, (request, context) => {
  if (context.version < FIND_COORDINATOR_FIRST_BATCHED_VERSION) {
    return wholeRequest(request, coordinatorKeyRefusal(context, request.keyType, request.key), (refusal) => ({
      throttleTimeMs: 0,
      errorCode: refusal.code,
      errorMessage: refusal.message,
      nodeId: -1,
      host: '',
      port: -1,
      coordinators: [],
    }));
  }
  return perPart({
    request,
    split: split(request.coordinatorKeys, (key) => coordinatorKeyRefusal(context, request.keyType, key)),
    refuse: (key, refusal) => ({
      key,
      nodeId: -1,
      host: '',
      port: -1,
      errorCode: refusal.code,
      errorMessage: refusal.message,
    }),
    narrow: (coordinatorKeys) => ({ ...request, coordinatorKeys }),
    merge: (response, refused) => ({ ...response, coordinators: [...response.coordinators, ...refused] }),
    answer: (coordinators) => ({
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      nodeId: -1,
      host: '',
      port: -1,
      coordinators,
    }),
  });
});

const groupRead = (context: KafkaGuardContext, groupId: string): Refusal | null =>
  refusalOf(context, 'Read', 'Group', groupId);

export const joinGroupAccess: KafkaApiAccess = guardApi(JoinGroup, (request, context) =>
  wholeRequest(request, groupRead(context, request.groupId), (refusal) => {
    const noProtocol = context.version >= JOIN_GROUP_FIRST_NULLABLE_PROTOCOL_VERSION ? null : '';
    return {
      throttleTimeMs: 0,
      errorCode: refusal.code,
      generationId: -1,
      protocolType: null,
      protocolName: noProtocol,
      leader: '',
      memberId: request.memberId,
      members: [],
    };
  }),
);

export const syncGroupAccess: KafkaApiAccess = guardApi(SyncGroup, (request, context) =>
  wholeRequest(request, groupRead(context, request.groupId), (refusal) => ({
    throttleTimeMs: 0,
    errorCode: refusal.code,
    protocolType: null,
    protocolName: null,
    assignment: EMPTY_BYTES,
  })),
);

export const heartbeatAccess: KafkaApiAccess = guardApi(Heartbeat, (request, context) =>
  wholeRequest(request, groupRead(context, request.groupId), (refusal) => ({
    throttleTimeMs: 0,
    errorCode: refusal.code,
  })),
);

export const leaveGroupAccess: KafkaApiAccess = guardApi(LeaveGroup, (request, context) =>
  wholeRequest(request, groupRead(context, request.groupId), (refusal) => ({
    throttleTimeMs: 0,
    errorCode: refusal.code,
    members: [],
  })),
);

/**
 * Per partition: a topic's partitions each answered with the refusal's code (OffsetCommit, OffsetDelete,
 * TxnOffsetCommit).
 */
export function partitionsRefused(
  topic: { readonly name: string; readonly partitions: readonly { readonly partitionIndex: number }[] },
  refusal: Refusal,
): { name: string; partitions: { partitionIndex: number; errorCode: number }[] } {
  return {
    name: topic.name,
    partitions: topic.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: refusal.code })),
  };
}

export const offsetCommitAccess: KafkaApiAccess = guardApi(OffsetCommit, (request, context) => {
  const group = groupRead(context, request.groupId);
  if (group !== null) {
    return { answer: { throttleTimeMs: 0, topics: request.topics.map((t) => partitionsRefused(t, group)) } };
  }
  const read = checkerOf(context, 'Read', 'Topic');
  return perPart({
    request,
    split: split(request.topics, (topic) => read(topic.name)),
    refuse: partitionsRefused,
    narrow: (topics) => ({ ...request, topics }),
    merge: (response, refused) => ({ ...response, topics: [...response.topics, ...refused] }),
    answer: (topics) => ({ throttleTimeMs: 0, topics }),
  });
});

function offsetFetchTopicRefused(topic: OffsetFetchRequestTopic, refusal: Refusal): OffsetFetchTopic {
  return {
    name: topic.name,
    partitions: topic.partitionIndexes.map((partitionIndex) => ({
      partitionIndex,
      committedOffset: -1,
      committedLeaderEpoch: -1,
      metadata: '',
      errorCode: refusal.code,
    })),
  };
}

/**
 * One group's topics as Kafka's OffsetFetch authorizes them: named topics the caller may not Describe
 * are answered TOPIC_AUTHORIZATION_FAILED; "every topic" (null) leaves them out of the answer.
 */
interface GroupTopics {
  /** What to ask the handler for. */
  readonly topics: OffsetFetchRequestTopic[] | null;
  readonly refused: OffsetFetchTopic[];
}

function groupTopics(
  topics: readonly OffsetFetchRequestTopic[] | null,
  describe: (name: string) => Refusal | null,
): GroupTopics {
  if (topics === null) return { topics: null, refused: [] };
  const { allowed, refused } = split(topics, (topic) => describe(topic.name));
  return {
    topics: allowed,
    refused: refused.map(({ item, refusal }) => offsetFetchTopicRefused(item, refusal)),
  };
}

function answeredTopics(
  context: KafkaGuardContext,
  answered: readonly OffsetFetchTopic[],
  asked: GroupTopics,
): OffsetFetchTopic[] {
  if (asked.topics === null)
    return answered.filter((topic) => visible(context, 'Describe', 'Topic', topic.name));
  return [...answered, ...asked.refused];
}

export const offsetFetchAccess: KafkaApiAccess = guardApi(OffsetFetch, (request, context) => {
  if (context.version >= OFFSET_FETCH_FIRST_GROUPS_VERSION) return offsetFetchGroups(request, context);
  const describe = checkerOf(context, 'Describe', 'Topic');
  const group = refusalOf(context, 'Describe', 'Group', request.groupId);
  if (group !== null) {
    const everyPartition = context.version < OFFSET_FETCH_FIRST_TOP_LEVEL_ERROR_VERSION;
    return {
      answer: {
        throttleTimeMs: 0,
        topics: everyPartition ? (request.topics ?? []).map((t) => offsetFetchTopicRefused(t, group)) : [],
        errorCode: group.code,
        groups: [],
      },
    };
  }
  const asked = groupTopics(request.topics, describe);
  if (asked.topics !== null && asked.topics.length === 0 && asked.refused.length > 0) {
    return { answer: { throttleTimeMs: 0, topics: asked.refused, errorCode: 0, groups: [] } };
  }
  return {
    request: { ...request, topics: asked.topics },
    finish: (response) => ({ ...response, topics: answeredTopics(context, response.topics, asked) }),
  };
});

/** OffsetFetch v8+: each group on its own, as Kafka's handleOffsetFetchRequestFromCoordinator. */
function offsetFetchGroups(
  request: OffsetFetchRequest,
  context: KafkaGuardContext,
): KafkaGuardOutcome<OffsetFetchRequest, OffsetFetchResponse> {
  const describeTopic = checkerOf(context, 'Describe', 'Topic');
  const describeGroup = checkerOf(context, 'Describe', 'Group');
  const { allowed, refused } = split(request.groups, (group) => describeGroup(group.groupId));
  const asked = new Map(allowed.map((group) => [group.groupId, groupTopics(group.topics, describeTopic)]));
  const refusedGroups = refused.map(({ item, refusal }) => ({
    groupId: item.groupId,
    topics: [],
    errorCode: refusal.code,
  }));
  if (allowed.length === 0) {
    return { answer: { throttleTimeMs: 0, topics: [], errorCode: 0, groups: refusedGroups } };
  }
  return {
    request: {
      ...request,
      groups: allowed.map((group) => ({ ...group, topics: asked.get(group.groupId)?.topics ?? null })),
    },
    finish: (response) => ({
      ...response,
      groups: [
        ...response.groups.map((group) => {
          const topics = asked.get(group.groupId);
          return topics === undefined
            ? group
            : { ...group, topics: answeredTopics(context, group.topics, topics) };
        }),
        ...refusedGroups,
      ],
    }),
  };
}

export const offsetDeleteAccess: KafkaApiAccess = guardApi(OffsetDelete, (request, context) => {
  const group = refusalOf(context, 'Delete', 'Group', request.groupId);
  if (group !== null) return { answer: { errorCode: group.code, throttleTimeMs: 0, topics: [] } };
  const read = checkerOf(context, 'Read', 'Topic');
  const { allowed, refused } = split(request.topics, (topic) => read(topic.name));
  if (refused.length === 0) return { request };
  const answered = refused.map(({ item, refusal }) => partitionsRefused(item, refusal));
  // The handler still answers the group's own state (an unknown group, a coordinator elsewhere).
  return {
    request: { ...request, topics: allowed },
    finish: (response) => ({ ...response, topics: [...response.topics, ...answered] }),
  };
});

export const listGroupsAccess: KafkaApiAccess = guardApi(ListGroups, (request, context) => {
  if (visible(context, 'Describe', 'Cluster', CLUSTER_RESOURCE_NAME)) return { request };
  return {
    request,
    finish: (response) => ({
      ...response,
      groups: response.groups.filter((group) => visible(context, 'Describe', 'Group', group.groupId)),
    }),
  };
});

export const describeGroupsAccess: KafkaApiAccess = guardApi(DescribeGroups, (request, context) => {
  const describe = checkerOf(context, 'Describe', 'Group');
  return perPart({
    request,
    split: split(request.groups, describe),
    refuse: (groupId, refusal) => ({
      errorCode: refusal.code,
      groupId,
      groupState: '',
      protocolType: '',
      protocolData: '',
      members: [],
      authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    }),
    narrow: (groups) => ({ ...request, groups }),
    merge: (response, refused) => ({ ...response, groups: [...response.groups, ...refused] }),
    answer: (groups) => ({ throttleTimeMs: 0, groups }),
  });
});

export const deleteGroupsAccess: KafkaApiAccess = guardApi(DeleteGroups, (request, context) => {
  const remove = checkerOf(context, 'Delete', 'Group');
  return perPart({
    request,
    split: split(request.groupsNames, remove),
    refuse: (groupId, refusal) => ({ groupId, errorCode: refusal.code }),
    narrow: (groupsNames) => ({ ...request, groupsNames }),
    merge: (response, refused) => ({ ...response, results: [...response.results, ...refused] }),
    answer: (results) => ({ throttleTimeMs: 0, results }),
  });
});
