/**
 * Authorization of the data-plane APIs, Kafka's rules (KafkaApis): Produce needs Write on each topic
 * (and on the TransactionalId a transactional producer names), Fetch Read on each topic, ListOffsets and
 * OffsetForLeaderEpoch Describe, DeleteRecords Delete; a topic the caller may not use is answered
 * TOPIC_AUTHORIZATION_FAILED per partition beside the handler's results. Metadata shows named topics the
 * caller may not Describe as TOPIC_AUTHORIZATION_FAILED and leaves them out of "every topic"; it creates
 * a missing topic only for a caller with Create on the cluster or the topic. InitProducerId needs Write on
 * the transactional id, or the right to write idempotently (KIP-679).
 */
import {
  DeleteRecords,
  Fetch,
  InitProducerId,
  ListOffsets,
  Metadata,
  OffsetForLeaderEpoch,
  Produce,
  type RequestOf,
  type ResponseInputOf,
} from '@tributary/kafka-protocol';
import { CLUSTER_RESOURCE_NAME } from '@tributary/security';
import { NIL_UUID } from '../handlers/metadata.js';
import {
  checkerOf,
  deniedAs,
  guardApi,
  type KafkaApiAccess,
  type KafkaGuardContext,
  perPart,
  type Refusal,
  refusalOf,
  split,
  topicCreationRefusal,
  visible,
  wholeRequest,
} from './kafka-guard.js';

type ProduceResponse = ResponseInputOf<typeof Produce>;
type ProducePartition = ProduceResponse['responses'][number]['partitionResponses'][number];
type FetchTopic = RequestOf<typeof Fetch>['topics'][number];
type MetadataTopic = ResponseInputOf<typeof Metadata>['topics'][number];

const EMPTY_RECORDS = Buffer.alloc(0);
/** KIP-430: "authorized operations not requested". */
const AUTHORIZED_OPERATIONS_OMITTED = -2_147_483_648;
/** KIP-516: from v13 Fetch names topics by id. */
const FETCH_FIRST_TOPIC_ID_VERSION = 13;
/** Metadata's topic name is nullable from v12. */
const METADATA_FIRST_NULLABLE_NAME_VERSION = 12;

function producePartition(index: number, refusal: Refusal): ProducePartition {
  return {
    index,
    errorCode: refusal.code,
    baseOffset: -1,
    logAppendTimeMs: -1,
    logStartOffset: -1,
    recordErrors: [],
    errorMessage: refusal.message,
  };
}

/**
 * acks=0 gets no response, refused or not: the refused data is dropped unwritten. (Kafka closes such a
 * connection so that the producer notices; our handlers cannot, so the producer's own error path is
 * silence, as for any other acks=0 failure here.)
 */
export const produceAccess: KafkaApiAccess = guardApi(Produce, (request, context) => {
  const noResponse = request.acks === 0;
  if (request.transactionalId !== null) {
    const refusal = refusalOf(context, 'Write', 'TransactionalId', request.transactionalId);
    if (refusal !== null) {
      return {
        answer: noResponse
          ? null
          : {
              responses: request.topicData.map((topic) => ({
                name: topic.name,
                partitionResponses: topic.partitionData.map((p) => producePartition(p.index, refusal)),
              })),
              throttleTimeMs: 0,
            },
      };
    }
  }
  const write = checkerOf(context, 'Write', 'Topic');
  return perPart({
    request,
    split: split(request.topicData, (topic) => write(topic.name)),
    refuse: (topic, refusal) => ({
      name: topic.name,
      partitionResponses: topic.partitionData.map((p) => producePartition(p.index, refusal)),
    }),
    narrow: (topicData) => ({ ...request, topicData }),
    merge: (response, refused) => ({ ...response, responses: [...response.responses, ...refused] }),
    answer: (responses) => (noResponse ? null : { responses, throttleTimeMs: 0 }),
  });
});

/** The topic a Fetch entry names: its name to v12, its id resolved from v13 (undefined: unknown id). */
function fetchTopicName(context: KafkaGuardContext, topic: FetchTopic): string | undefined {
  return context.version < FETCH_FIRST_TOPIC_ID_VERSION ? topic.topic : context.topicNameOfId(topic.topicId);
}

/**
 * Consumer fetches only: replicas replicate over the Replication service, and the Fetch handler refuses a
 * replica id. An id this broker does not know is left to the handler (UNKNOWN_TOPIC_ID), as Kafka does.
 */
export const fetchAccess: KafkaApiAccess = guardApi(Fetch, (request, context) => {
  const read = checkerOf(context, 'Read', 'Topic');
  return perPart({
    request,
    split: split(request.topics, (topic) => {
      const name = fetchTopicName(context, topic);
      return name === undefined ? null : read(name);
    }),
    refuse: (topic, refusal) => ({
      topic: topic.topic,
      topicId: topic.topicId,
      partitions: topic.partitions.map((p) => ({
        partitionIndex: p.partition,
        errorCode: refusal.code,
        highWatermark: -1,
        lastStableOffset: -1,
        logStartOffset: -1,
        abortedTransactions: null,
        preferredReadReplica: -1,
        records: EMPTY_RECORDS,
      })),
    }),
    narrow: (topics) => ({ ...request, topics }),
    merge: (response, refused) => ({ ...response, responses: [...response.responses, ...refused] }),
    answer: (responses) => ({ throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses }),
  });
});

export const listOffsetsAccess: KafkaApiAccess = guardApi(ListOffsets, (request, context) => {
  const describe = checkerOf(context, 'Describe', 'Topic');
  return perPart({
    request,
    split: split(request.topics, (topic) => describe(topic.name)),
    refuse: (topic, refusal) => ({
      name: topic.name,
      partitions: topic.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        errorCode: refusal.code,
        oldStyleOffsets: [],
        timestamp: -1,
        offset: -1,
        leaderEpoch: -1,
      })),
    }),
    narrow: (topics) => ({ ...request, topics }),
    merge: (response, refused) => ({ ...response, topics: [...response.topics, ...refused] }),
    answer: (topics) => ({ throttleTimeMs: 0, topics }),
  });
});

export const offsetForLeaderEpochAccess: KafkaApiAccess = guardApi(
  OffsetForLeaderEpoch,
  (request, context) => {
    const describe = checkerOf(context, 'Describe', 'Topic');
    return perPart({
      request,
      split: split(request.topics, (topic) => describe(topic.topic)),
      refuse: (topic, refusal) => ({
        topic: topic.topic,
        partitions: topic.partitions.map((p) => ({
          errorCode: refusal.code,
          partition: p.partition,
          leaderEpoch: -1,
          endOffset: -1,
        })),
      }),
      narrow: (topics) => ({ ...request, topics }),
      merge: (response, refused) => ({ ...response, topics: [...response.topics, ...refused] }),
      answer: (topics) => ({ throttleTimeMs: 0, topics }),
    });
  },
);

export const deleteRecordsAccess: KafkaApiAccess = guardApi(DeleteRecords, (request, context) => {
  const remove = checkerOf(context, 'Delete', 'Topic');
  return perPart({
    request,
    split: split(request.topics, (topic) => remove(topic.name)),
    refuse: (topic, refusal) => ({
      name: topic.name,
      partitions: topic.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        lowWatermark: -1,
        errorCode: refusal.code,
      })),
    }),
    narrow: (topics) => ({ ...request, topics }),
    merge: (response, refused) => ({ ...response, topics: [...response.topics, ...refused] }),
    answer: (topics) => ({ throttleTimeMs: 0, topics }),
  });
});

function metadataRefusal(
  context: KafkaGuardContext,
  topic: { readonly name: string | null; readonly topicId: string },
  refusal: Refusal,
): MetadataTopic {
  // A topic asked for by id keeps its name to itself (Kafka answers such a denial without the name).
  const unnamed = context.version >= METADATA_FIRST_NULLABLE_NAME_VERSION ? null : '';
  return {
    errorCode: refusal.code,
    name: topic.name ?? unnamed,
    topicId: topic.name === null ? topic.topicId : NIL_UUID,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

export const metadataAccess: KafkaApiAccess = guardApi(Metadata, (request, context) => {
  // v0 has no null array: an empty one means every topic, as the handler reads it.
  if (request.topics === null || (context.version === 0 && request.topics.length === 0)) {
    return {
      request,
      finish: (response) => ({
        ...response,
        topics: response.topics.filter(
          (topic) => topic.name !== null && visible(context, 'Describe', 'Topic', topic.name),
        ),
      }),
    };
  }
  const describe = checkerOf(context, 'Describe', 'Topic');
  const mayAutoCreate = request.allowAutoTopicCreation && context.autoCreateEnabled;
  const { allowed, refused } = split(request.topics, (topic) => {
    const name = topic.name ?? context.topicNameOfId(topic.topicId);
    if (name === undefined) return null; // an unknown id: the handler answers UNKNOWN_TOPIC_ID
    const denied = describe(name);
    if (denied !== null || !mayAutoCreate || context.topicExists(name)) return denied;
    return topicCreationRefusal(context, name);
  });
  if (refused.length === 0) return { request };
  const answered = refused.map(({ item, refusal }) => metadataRefusal(context, item, refusal));
  return {
    // Nothing left: the handler still answers the brokers and the cluster; its topics are replaced (an
    // empty list would mean "every topic" at v0).
    request: { ...request, topics: allowed },
    finish: (response) => ({
      ...response,
      topics: allowed.length === 0 ? answered : [...response.topics, ...answered],
    }),
  };
});

export const initProducerIdAccess: KafkaApiAccess = guardApi(InitProducerId, (request, context) => {
  let refusal: Refusal | null;
  if (request.transactionalId !== null) {
    refusal = refusalOf(context, 'Write', 'TransactionalId', request.transactionalId);
  } else if (context.access.mayWriteIdempotently(context.caller)) {
    refusal = null;
  } else {
    // mayWriteIdempotently has reported the denial.
    refusal = deniedAs(context, 'IdempotentWrite', 'Cluster', CLUSTER_RESOURCE_NAME);
  }
  return wholeRequest(request, refusal, (denied) => ({
    throttleTimeMs: 0,
    errorCode: denied.code,
    producerId: -1,
    producerEpoch: -1,
  }));
});
