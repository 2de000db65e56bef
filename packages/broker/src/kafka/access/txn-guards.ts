/**
 * Authorization of the transaction APIs, Kafka's rules (KafkaApis): AddPartitionsToTxn needs Write on the
 * transactional id and Write on every topic it adds (one refused topic fails the request: the refused
 * partitions answer TOPIC_AUTHORIZATION_FAILED, the others OPERATION_NOT_ATTEMPTED, as a transaction adds
 * all its partitions or none), and ClusterAction for v4+ (KIP-890's broker-to-broker form); AddOffsetsToTxn
 * Write on the transactional id and Read on the group; EndTxn Write on the transactional id;
 * TxnOffsetCommit Write on the transactional id, Read on the group (else every partition fails), and Read on
 * each topic; WriteTxnMarkers ClusterAction; DescribeTransactions Describe per transactional id;
 * ListTransactions lists the transactional ids the caller may Describe; DescribeProducers Read on each
 * topic (a refused topic's partitions answer TOPIC_AUTHORIZATION_FAILED).
 */
import { ERROR_CODES } from '@tributary/core';
import {
  AddOffsetsToTxn,
  AddPartitionsToTxn,
  DescribeProducers,
  DescribeTransactions,
  EndTxn,
  ListTransactions,
  type RequestOf,
  TxnOffsetCommit,
  WriteTxnMarkers,
} from '@tributary/kafka-protocol';
import { partitionsRefused } from './group-guards.js';
import {
  checkerOf,
  clusterRefusal,
  guardApi,
  type KafkaApiAccess,
  type KafkaGuardContext,
  perPart,
  type Refusal,
  refusalOf,
  split,
  visible,
  wholeRequest,
} from './kafka-guard.js';

type AddPartitionsRequest = RequestOf<typeof AddPartitionsToTxn>;

/** AddPartitionsToTxn's broker-to-broker form (KIP-890) starts at v4. */
const ADD_PARTITIONS_FIRST_BROKER_VERSION = 4;

const transactionalIdWrite = (context: KafkaGuardContext, transactionalId: string): Refusal | null =>
  refusalOf(context, 'Write', 'TransactionalId', transactionalId);

/** v0–3: one transaction; each partition answered by `codeOf` its topic. */
function addPartitionsAnswer(request: AddPartitionsRequest, codeOf: (topic: string) => number) {
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    resultsByTransaction: [],
    resultsByTopicV3AndBelow: request.v3AndBelowTopics.map((topic) => ({
      name: topic.name,
      resultsByPartition: topic.partitions.map((partitionIndex) => ({
        partitionIndex,
        partitionErrorCode: codeOf(topic.name),
      })),
    })),
  };
}

export const addPartitionsToTxnAccess: KafkaApiAccess = guardApi(AddPartitionsToTxn, (request, context) => {
  if (context.version >= ADD_PARTITIONS_FIRST_BROKER_VERSION) {
    return wholeRequest(request, clusterRefusal(context, 'ClusterAction'), (refusal) => ({
      throttleTimeMs: 0,
      errorCode: refusal.code,
      resultsByTransaction: [],
      resultsByTopicV3AndBelow: [],
    }));
  }
  const txn = transactionalIdWrite(context, request.v3AndBelowTransactionalId);
  if (txn !== null) return { answer: addPartitionsAnswer(request, () => txn.code) };
  const write = checkerOf(context, 'Write', 'Topic');
  const refused = request.v3AndBelowTopics.filter((topic) => write(topic.name) !== null);
  if (refused.length === 0) return { request };
  const notAttempted = ERROR_CODES.OPERATION_NOT_ATTEMPTED.kafka;
  return { answer: addPartitionsAnswer(request, (topic) => write(topic)?.code ?? notAttempted) };
});

export const addOffsetsToTxnAccess: KafkaApiAccess = guardApi(AddOffsetsToTxn, (request, context) =>
  wholeRequest(
    request,
    transactionalIdWrite(context, request.transactionalId) ??
      refusalOf(context, 'Read', 'Group', request.groupId),
    (refusal) => ({ throttleTimeMs: 0, errorCode: refusal.code }),
  ),
);

export const endTxnAccess: KafkaApiAccess = guardApi(EndTxn, (request, context) =>
  wholeRequest(request, transactionalIdWrite(context, request.transactionalId), (refusal) => ({
    throttleTimeMs: 0,
    errorCode: refusal.code,
  })),
);

export const txnOffsetCommitAccess: KafkaApiAccess = guardApi(TxnOffsetCommit, (request, context) => {
  const whole =
    transactionalIdWrite(context, request.transactionalId) ??
    refusalOf(context, 'Read', 'Group', request.groupId);
  if (whole !== null) {
    return { answer: { throttleTimeMs: 0, topics: request.topics.map((t) => partitionsRefused(t, whole)) } };
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

export const writeTxnMarkersAccess: KafkaApiAccess = guardApi(WriteTxnMarkers, (request, context) =>
  wholeRequest(request, clusterRefusal(context, 'ClusterAction'), (refusal) => ({
    markers: request.markers.map((marker) => ({
      producerId: marker.producerId,
      topics: marker.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitionIndexes.map((partitionIndex) => ({
          partitionIndex,
          errorCode: refusal.code,
        })),
      })),
    })),
  })),
);

export const describeTransactionsAccess: KafkaApiAccess = guardApi(
  DescribeTransactions,
  (request, context) => {
    const describe = checkerOf(context, 'Describe', 'TransactionalId');
    return perPart({
      request,
      split: split(request.transactionalIds, describe),
      refuse: (transactionalId, refusal) => ({
        errorCode: refusal.code,
        transactionalId,
        transactionState: '',
        transactionTimeoutMs: 0,
        transactionStartTimeMs: -1,
        producerId: -1,
        producerEpoch: -1,
        topics: [],
      }),
      narrow: (transactionalIds) => ({ ...request, transactionalIds }),
      merge: (response, refused) => ({
        ...response,
        transactionStates: [...response.transactionStates, ...refused],
      }),
      answer: (transactionStates) => ({ throttleTimeMs: 0, transactionStates }),
    });
  },
);

export const describeProducersAccess: KafkaApiAccess = guardApi(DescribeProducers, (request, context) => {
  const read = checkerOf(context, 'Read', 'Topic');
  return perPart({
    request,
    split: split(request.topics, (topic) => read(topic.name)),
    refuse: (topic, refusal) => ({
      name: topic.name,
      partitions: topic.partitionIndexes.map((partitionIndex) => ({
        partitionIndex,
        errorCode: refusal.code,
        errorMessage: refusal.message,
        activeProducers: [],
      })),
    }),
    narrow: (topics) => ({ ...request, topics }),
    merge: (response, refused) => ({ ...response, topics: [...response.topics, ...refused] }),
    answer: (topics) => ({ throttleTimeMs: 0, topics }),
  });
});

export const listTransactionsAccess: KafkaApiAccess = guardApi(ListTransactions, (request, context) => ({
  request,
  finish: (response) => ({
    ...response,
    transactionStates: response.transactionStates.filter((txn) =>
      visible(context, 'Describe', 'TransactionalId', txn.transactionalId),
    ),
  }),
}));
