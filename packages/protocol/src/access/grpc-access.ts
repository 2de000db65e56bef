/**
 * What every gRPC method needs (DESIGN §10), in one table, Kafka's rules carried over: produce needs Write
 * on the topic, fetch Read, offsets Describe, group calls Read (Describe to look) on the group, offset
 * commits Read on group and topic, topic admin Create/Delete/Alter/AlterConfigs/Describe on the topic,
 * cluster admin Alter/Describe on the cluster, the cluster's own traffic (replication, broker lifecycle,
 * the metadata stream, Raft) ClusterAction, DescribeProducers Read on the topic. Multi-topic calls are answered per topic as Kafka does: a topic
 * the caller may not use is taken out of the request and answered TOPIC_AUTHORIZATION_FAILED beside the
 * handler's results; lists show only what the caller may Describe.
 *
 * The Kafka listener's handlers apply the same operations (packages/broker/src/kafka); this table is the
 * gRPC half. A method missing from it cannot be served: guardServer refuses to add it (fail closed).
 */
import { TributaryError } from '@tributary/core';
import type { AccessControl, RequestCaller, RequestOperation } from '@tributary/security';
import type {
  AddPartitionsToTxnRequest__Output,
  AddPartitionsToTxnResponse,
  DeleteGroupOffsetsRequest__Output,
  DeleteRecordsRequest__Output,
  DeleteRecordsResponse,
  DeleteTopicRequest__Output,
  DescribeProducersRequest__Output,
  DescribeProducersResponse,
  DescribeTopicsRequest__Output,
  DescribeTransactionsRequest__Output,
  DescribeTransactionsResponse,
  FetchRequest__Output,
  FetchResponse,
  InitProducerIdRequest__Output,
  ListGroupsResponse,
  ListOffsetsRequest__Output,
  ListOffsetsResponse,
  ListTopicsResponse,
  ListTransactionsResponse,
  MetadataRequest__Output,
  MetadataResponse,
  OffsetCommitRequest__Output,
  OffsetCommitResponse,
  OffsetFetchRequest__Output,
  OffsetFetchResponse,
  ProduceRequest__Output,
  ProduceResponse,
  TxnOffsetCommitRequest__Output,
  TxnOffsetCommitResponse,
} from '../generated/index.js';

/** What a request guard may consult besides the caller and the authorizer. */
export interface GuardContext {
  readonly access: AccessControl;
  readonly caller: RequestCaller;
  /** A topic's name by its id, from the process's metadata image (DeleteTopic by id). */
  readonly topicNameOfId: (topicId: string) => string | undefined;
}

/**
 * The outcome of a request guard: the request to hand the handler (narrowed to what is allowed) and a
 * finisher that adds the refused parts to (or filters) the handler's response; or an answer given without
 * calling the handler (everything refused). A denial of the whole call is thrown.
 */
export type GuardOutcome =
  | { readonly request: unknown; readonly finish?: (response: unknown) => unknown }
  | { readonly answer: unknown };

export type MethodAccess =
  /** Reachable before and without authentication (Auth, health, reflection). */
  | { readonly kind: 'public' }
  /** Any authenticated caller (what it returns is not secret: DescribeCluster, like Kafka's). */
  | { readonly kind: 'authenticated' }
  /** One operation on the cluster resource, checked before the handler runs. */
  | { readonly kind: 'cluster'; readonly operation: RequestOperation }
  /** Checked on the request (unary methods only). */
  | { readonly kind: 'request'; readonly guard: (request: unknown, context: GuardContext) => GuardOutcome }
  /**
   * A stream of requests, each checked by the handler (guardStreamMessage) with `perMessage`, the rule of the
   * unary method it carries; opening it needs only an authenticated caller.
   */
  | { readonly kind: 'stream'; readonly perMessage: MethodAccess };

/** A typed request guard, stored erased in the table (the guard server hands it the method's own request). */
function request<Req, Res>(
  guard: (
    request: Req,
    context: GuardContext,
  ) => { request: Req; finish?: (response: Res) => Res } | { answer: Res },
): MethodAccess {
  return { kind: 'request', guard: guard as (request: unknown, context: GuardContext) => GuardOutcome };
}

const cluster = (operation: RequestOperation): MethodAccess => ({ kind: 'cluster', operation });
const PUBLIC: MethodAccess = { kind: 'public' };

interface TopicsRequest<P> {
  readonly topics: readonly { readonly name: string; readonly partitions: readonly P[] }[];
}

interface PartitionOf {
  readonly partition: number;
}

/** A per-partition refusal as the Broker service answers errors. */
function refusedPartition(
  context: GuardContext,
  operation: RequestOperation,
  topic: string,
  partition: number,
): { topic: string; partition: number; errorCode: string; errorMessage: string } {
  return {
    topic,
    partition,
    errorCode: 'TOPIC_AUTHORIZATION_FAILED',
    errorMessage: `${context.caller.principal.type}:${context.caller.principal.name} may not ${operation} Topic ${JSON.stringify(topic)}`,
  };
}

/**
 * Splits a request's topics by `operation`: the allowed ones go to the handler, the others are answered
 * TOPIC_AUTHORIZATION_FAILED per partition, after the handler's results (clients match by topic and
 * partition). `extra` fills the fields a refused partition result has besides the error (offsets -1).
 */
function perTopic<P extends PartitionOf, Req extends TopicsRequest<P>, Res extends { results?: object[] }>(
  operation: RequestOperation,
  extra: object = {},
) {
  return request<Req, Res>((req, context) => {
    const allowed = req.topics.filter((topic) =>
      context.access.allowed(context.caller, operation, 'Topic', topic.name),
    );
    if (allowed.length === req.topics.length) return { request: req };
    const refused = req.topics
      .filter((topic) => !allowed.includes(topic))
      .flatMap((topic) =>
        topic.partitions.map((p) => ({
          ...extra,
          ...refusedPartition(context, operation, topic.name, p.partition),
        })),
      );
    if (allowed.length === 0) return { answer: { results: refused } as Res };
    return {
      request: { ...req, topics: allowed },
      finish: (response) => ({ ...response, results: [...(response.results ?? []), ...refused] }),
    };
  });
}

function requireTopic(context: GuardContext, operation: RequestOperation, name: string): void {
  context.access.requireAllowed(context.caller, operation, 'Topic', name);
}

function requireGroup(context: GuardContext, operation: RequestOperation, groupId: string): void {
  context.access.requireAllowed(context.caller, operation, 'Group', groupId);
}

/** Kafka's CreateTopics rule: Create on the cluster, or else on the topic. */
function mayCreateTopic(context: GuardContext, name: string): boolean {
  return (
    context.access.visible(context.caller, 'Create', 'Cluster', 'kafka-cluster') ||
    context.access.allowed(context.caller, 'Create', 'Topic', name)
  );
}

const produce = perTopic<PartitionOf, ProduceRequest__Output, ProduceResponse>('Write', {
  baseOffset: -1,
  leaderId: -1,
  leaderEpoch: -1,
});

const fetch = perTopic<PartitionOf, FetchRequest__Output, FetchResponse>('Read', {
  highWatermark: -1,
  logStartOffset: -1,
  leaderId: -1,
  leaderEpoch: -1,
});

const listOffsets = perTopic<PartitionOf, ListOffsetsRequest__Output, ListOffsetsResponse>('Describe', {
  offset: -1,
  timestamp: -1,
  leaderEpoch: -1,
});

const deleteRecords = perTopic<PartitionOf, DeleteRecordsRequest__Output, DeleteRecordsResponse>('Delete', {
  lowWatermark: -1,
  leaderId: -1,
  leaderEpoch: -1,
});

/** Kafka's DescribeProducers (KIP-664): Read on each topic, as Kafka's KafkaApis asks. */
const describeProducers = perTopic<PartitionOf, DescribeProducersRequest__Output, DescribeProducersResponse>(
  'Read',
  { activeProducers: [] },
);

/**
 * Metadata as Kafka answers it: named topics the caller may not Describe come back
 * TOPIC_AUTHORIZATION_FAILED; "all topics" lists only the describable ones; auto-creation only for a caller
 * who may create every topic it names.
 */
const metadata = request<MetadataRequest__Output, MetadataResponse>((req, context) => {
  const { access, caller } = context;
  if (req.topics.length === 0) {
    return {
      request: req,
      finish: (response) => ({
        ...response,
        topics: (response.topics ?? []).filter((result) =>
          access.visible(caller, 'Describe', 'Topic', result.topic?.name ?? ''),
        ),
      }),
    };
  }
  const allowed = req.topics.filter((name) => access.allowed(caller, 'Describe', 'Topic', name));
  const refused = req.topics
    .filter((name) => !allowed.includes(name))
    .map((name) => ({
      errorCode: 'TOPIC_AUTHORIZATION_FAILED',
      errorMessage: `${caller.principal.type}:${caller.principal.name} may not Describe Topic ${JSON.stringify(name)}`,
      topic: { name },
    }));
  const autoCreate = req.allowAutoTopicCreation && allowed.every((name) => mayCreateTopic(context, name));
  const narrowed = { ...req, topics: allowed, allowAutoTopicCreation: autoCreate };
  if (allowed.length === 0) {
    // The handler reads "no topics" as "every topic": answer the refusals with the brokers alone.
    return {
      request: narrowed,
      finish: (response) => ({ ...response, topics: refused }),
    };
  }
  return {
    request: narrowed,
    finish: (response) => ({ ...response, topics: [...(response.topics ?? []), ...refused] }),
  };
});

const initProducerId = request<InitProducerIdRequest__Output, unknown>((req, context) => {
  if (req.transactionalId !== '') {
    context.access.requireAllowed(context.caller, 'Write', 'TransactionalId', req.transactionalId);
  } else if (!context.access.mayWriteIdempotently(context.caller)) {
    throw new TributaryError(
      'CLUSTER_AUTHORIZATION_FAILED',
      `${context.caller.principal.type}:${context.caller.principal.name} may not write idempotently: it needs IdempotentWrite on the cluster or Write on a topic`,
    );
  }
  return { request: req };
});

const createTopic = request<{ readonly name: string }, unknown>((req, context) => {
  if (!mayCreateTopic(context, req.name)) requireTopic(context, 'Create', req.name);
  return { request: req };
});

const deleteTopic = request<DeleteTopicRequest__Output, unknown>((req, context) => {
  const name = req.name !== '' ? req.name : context.topicNameOfId(req.topicId);
  // An unknown id: Kafka answers UNKNOWN_TOPIC_ID to a caller who may delete every topic, else a denial.
  requireTopic(context, 'Delete', name ?? '*');
  return { request: req };
});

const topicOperation = (operation: RequestOperation) =>
  request<{ readonly name: string }, unknown>((req, context) => {
    requireTopic(context, operation, req.name);
    return { request: req };
  });

const describeTopics = request<DescribeTopicsRequest__Output, unknown>((req, context) => {
  for (const name of req.names) requireTopic(context, 'Describe', name);
  return { request: req };
});

const listTopics = request<unknown, ListTopicsResponse>((req, context) => ({
  request: req,
  finish: (response) => ({
    ...response,
    topics: (response.topics ?? []).filter((topic) =>
      context.access.visible(context.caller, 'Describe', 'Topic', topic.name ?? ''),
    ),
  }),
}));

const groupOperation = (operation: RequestOperation) =>
  request<{ readonly groupId: string }, unknown>((req, context) => {
    requireGroup(context, operation, req.groupId);
    return { request: req };
  });

const offsetCommit = request<OffsetCommitRequest__Output, OffsetCommitResponse>((req, context) => {
  requireGroup(context, 'Read', req.groupId);
  const allowed = req.topics.filter((topic) =>
    context.access.allowed(context.caller, 'Read', 'Topic', topic.name),
  );
  if (allowed.length === req.topics.length) return { request: req };
  const refused = req.topics
    .filter((topic) => !allowed.includes(topic))
    .flatMap((topic) =>
      topic.partitions.map((p) => refusedPartition(context, 'Read', topic.name, p.partition)),
    );
  return {
    request: { ...req, topics: allowed },
    finish: (response) => ({ ...response, results: [...(response.results ?? []), ...refused] }),
  };
});

/** Kafka's OffsetFetch: Describe on the group; offsets only of the topics the caller may Describe. */
const offsetFetch = request<OffsetFetchRequest__Output, OffsetFetchResponse>((req, context) => {
  requireGroup(context, 'Describe', req.groupId);
  return {
    request: req,
    finish: (response) => ({
      ...response,
      offsets: (response.offsets ?? []).filter((offset) =>
        context.access.visible(context.caller, 'Describe', 'Topic', offset.topic ?? ''),
      ),
    }),
  };
});

/** Kafka's ListGroups: everything with Describe on the cluster, else the groups the caller may Describe. */
const listGroups = request<unknown, ListGroupsResponse>((req, context) => {
  if (context.access.visible(context.caller, 'Describe', 'Cluster', 'kafka-cluster')) return { request: req };
  return {
    request: req,
    finish: (response) => ({
      ...response,
      groups: (response.groups ?? []).filter((group) =>
        context.access.visible(context.caller, 'Describe', 'Group', group.groupId ?? ''),
      ),
    }),
  };
});

const deleteGroupOffsets = request<DeleteGroupOffsetsRequest__Output, unknown>((req, context) => {
  requireGroup(context, 'Delete', req.groupId);
  for (const topic of req.topics) requireTopic(context, 'Read', topic.topic);
  return { request: req };
});

function requireTransactionalId(context: GuardContext, operation: RequestOperation, id: string): void {
  context.access.requireAllowed(context.caller, operation, 'TransactionalId', id);
}

/** Kafka's rule for the transaction calls that change a transaction: Write on its transactional id. */
const transactionWrite = request<{ readonly transactionalId: string }, unknown>((req, context) => {
  requireTransactionalId(context, 'Write', req.transactionalId);
  return { request: req };
});

/** FindCoordinator for a transactional id: Describe on it. */
const findTransactionCoordinator = request<{ readonly transactionalId: string }, unknown>((req, context) => {
  requireTransactionalId(context, 'Describe', req.transactionalId);
  return { request: req };
});

/**
 * Kafka's AddPartitionsToTxn: Write on the transactional id, Write on each topic; when a topic is refused
 * nothing is added (the transaction's partitions change all at once): refused topics answer
 * TOPIC_AUTHORIZATION_FAILED, the others OPERATION_NOT_ATTEMPTED, without calling the handler.
 */
const addPartitionsToTxn = request<AddPartitionsToTxnRequest__Output, AddPartitionsToTxnResponse>(
  (req, context) => {
    requireTransactionalId(context, 'Write', req.transactionalId);
    const refusedTopics = new Set(
      req.partitions
        .filter((entry) => !context.access.allowed(context.caller, 'Write', 'Topic', entry.topic))
        .map((entry) => entry.topic),
    );
    if (refusedTopics.size === 0) return { request: req };
    const results = req.partitions.flatMap((entry) =>
      entry.partitions.map((partition) =>
        refusedTopics.has(entry.topic)
          ? refusedPartition(context, 'Write', entry.topic, partition)
          : {
              topic: entry.topic,
              partition,
              errorCode: 'OPERATION_NOT_ATTEMPTED',
              errorMessage: 'another partition of the request was refused',
            },
      ),
    );
    return { answer: { results } };
  },
);

/** Kafka's AddOffsetsToTxn: Write on the transactional id and Read on the group. */
const addOffsetsToTxn = request<{ readonly transactionalId: string; readonly groupId: string }, unknown>(
  (req, context) => {
    requireTransactionalId(context, 'Write', req.transactionalId);
    requireGroup(context, 'Read', req.groupId);
    return { request: req };
  },
);

/** Kafka's TxnOffsetCommit: Write on the transactional id, Read on the group, Read on each topic. */
const txnOffsetCommit = request<TxnOffsetCommitRequest__Output, TxnOffsetCommitResponse>((req, context) => {
  requireTransactionalId(context, 'Write', req.transactionalId);
  requireGroup(context, 'Read', req.groupId);
  const allowed = req.topics.filter((topic) =>
    context.access.allowed(context.caller, 'Read', 'Topic', topic.name),
  );
  if (allowed.length === req.topics.length) return { request: req };
  const refused = req.topics
    .filter((topic) => !allowed.includes(topic))
    .flatMap((topic) =>
      topic.partitions.map((p) => refusedPartition(context, 'Read', topic.name, p.partition)),
    );
  if (allowed.length === 0) return { answer: { results: refused } };
  return {
    request: { ...req, topics: allowed },
    finish: (response) => ({ ...response, results: [...(response.results ?? []), ...refused] }),
  };
});

/** Kafka's DescribeTransactions: each id the caller may not Describe is answered with a denial. */
const describeTransactions = request<DescribeTransactionsRequest__Output, DescribeTransactionsResponse>(
  (req, context) => {
    const mayDescribe = (id: string) =>
      context.access.allowed(context.caller, 'Describe', 'TransactionalId', id);
    const allowed = req.transactionalIds.filter(mayDescribe);
    if (allowed.length === req.transactionalIds.length) return { request: req };
    const refused = req.transactionalIds
      .filter((id) => !mayDescribe(id))
      .map((id) => ({
        transactionalId: id,
        errorCode: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
        errorMessage: `${context.caller.principal.type}:${context.caller.principal.name} may not Describe TransactionalId ${JSON.stringify(id)}`,
      }));
    if (allowed.length === 0) return { answer: { transactions: refused } };
    return {
      request: { ...req, transactionalIds: allowed },
      finish: (response) => ({ ...response, transactions: [...(response.transactions ?? []), ...refused] }),
    };
  },
);

/** Kafka's ListTransactions: only the transactional ids the caller may Describe. */
const listTransactions = request<unknown, ListTransactionsResponse>((req, context) => ({
  request: req,
  finish: (response) => ({
    ...response,
    transactions: (response.transactions ?? []).filter((listing) =>
      context.access.visible(context.caller, 'Describe', 'TransactionalId', listing.transactionalId ?? ''),
    ),
  }),
}));

/** Every method of every service a broker or controller serves, by its gRPC path. */
export const GRPC_METHOD_ACCESS: Readonly<Record<string, MethodAccess>> = {
  '/tributary.v1.Auth/ScramStart': PUBLIC,
  '/tributary.v1.Auth/ScramFinish': PUBLIC,
  '/grpc.health.v1.Health/Check': PUBLIC,
  '/grpc.health.v1.Health/Watch': PUBLIC,
  '/grpc.health.v1.Health/List': PUBLIC,
  '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo': PUBLIC,
  '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo': PUBLIC,

  '/tributary.v1.Broker/Produce': produce,
  // Each request on the stream is checked as a Produce (guardStreamMessage).
  '/tributary.v1.Broker/ProduceStream': { kind: 'stream', perMessage: produce },
  '/tributary.v1.Broker/Fetch': fetch,
  // Each request on the stream is checked as a Fetch (guardStreamMessage).
  '/tributary.v1.Broker/FetchStream': { kind: 'stream', perMessage: fetch },
  '/tributary.v1.Broker/ListOffsets': listOffsets,
  '/tributary.v1.Broker/Metadata': metadata,
  '/tributary.v1.Broker/InitProducerId': initProducerId,
  '/tributary.v1.Broker/DescribeReplicas': cluster('Describe'),
  '/tributary.v1.Broker/DeleteRecords': deleteRecords,
  '/tributary.v1.Broker/DescribeProducers': describeProducers,
  '/tributary.v1.Replication/ReplicaFetch': cluster('ClusterAction'),
  // Checked when the stream opens and again for every request on it (guardStreamMessage).
  '/tributary.v1.Replication/ReplicaFetchStream': cluster('ClusterAction'),

  '/tributary.v1.ControllerAdmin/CreateTopic': createTopic,
  '/tributary.v1.ControllerAdmin/DeleteTopic': deleteTopic,
  '/tributary.v1.ControllerAdmin/CreatePartitions': topicOperation('Alter'),
  '/tributary.v1.ControllerAdmin/AlterTopicConfigs': topicOperation('AlterConfigs'),
  '/tributary.v1.ControllerAdmin/ListTopics': listTopics,
  '/tributary.v1.ControllerAdmin/DescribeTopics': describeTopics,
  '/tributary.v1.ControllerAdmin/DescribeCluster': { kind: 'authenticated' },
  '/tributary.v1.ControllerAdmin/DescribeQuorum': cluster('Describe'),
  '/tributary.v1.ControllerAdmin/AlterPartitionReassignments': cluster('Alter'),
  '/tributary.v1.ControllerAdmin/ListPartitionReassignments': cluster('Describe'),
  '/tributary.v1.ControllerAdmin/ElectLeaders': cluster('Alter'),
  '/tributary.v1.ControllerAdmin/DecommissionBroker': cluster('Alter'),
  '/tributary.v1.ControllerAdmin/AddVoter': cluster('Alter'),
  '/tributary.v1.ControllerAdmin/RemoveVoter': cluster('Alter'),
  '/tributary.v1.ControllerAdmin/CreateAcls': cluster('Alter'),
  '/tributary.v1.ControllerAdmin/DeleteAcls': cluster('Alter'),
  '/tributary.v1.ControllerAdmin/DescribeAcls': cluster('Describe'),
  '/tributary.v1.ControllerAdmin/AlterUserScramCredentials': cluster('Alter'),
  '/tributary.v1.ControllerAdmin/DescribeUserScramCredentials': cluster('Describe'),
  '/tributary.v1.ControllerAdmin/AlterClientQuotas': cluster('AlterConfigs'),
  '/tributary.v1.ControllerAdmin/DescribeClientQuotas': cluster('DescribeConfigs'),

  '/tributary.v1.BrokerLifecycle/RegisterBroker': cluster('ClusterAction'),
  '/tributary.v1.BrokerLifecycle/BrokerHeartbeat': cluster('ClusterAction'),
  '/tributary.v1.BrokerLifecycle/AlterPartition': cluster('ClusterAction'),
  '/tributary.v1.BrokerLifecycle/AllocateProducerIds': cluster('ClusterAction'),
  '/tributary.v1.MetadataStream/FetchMetadata': cluster('ClusterAction'),
  '/tributary.v1.Raft/Step': cluster('ClusterAction'),
  '/tributary.v1.Raft/InstallSnapshot': cluster('ClusterAction'),

  '/tributary.v1.GroupCoordinator/FindCoordinator': groupOperation('Describe'),
  '/tributary.v1.GroupCoordinator/GroupHeartbeat': groupOperation('Read'),
  '/tributary.v1.GroupCoordinator/OffsetCommit': offsetCommit,
  '/tributary.v1.GroupCoordinator/OffsetFetch': offsetFetch,
  '/tributary.v1.GroupCoordinator/ListGroups': listGroups,
  '/tributary.v1.GroupCoordinator/DescribeGroup': groupOperation('Describe'),
  '/tributary.v1.GroupCoordinator/DeleteGroupOffsets': deleteGroupOffsets,

  '/tributary.v1.TransactionCoordinator/FindTransactionCoordinator': findTransactionCoordinator,
  '/tributary.v1.TransactionCoordinator/InitTransactions': transactionWrite,
  '/tributary.v1.TransactionCoordinator/AddPartitionsToTxn': addPartitionsToTxn,
  '/tributary.v1.TransactionCoordinator/AddOffsetsToTxn': addOffsetsToTxn,
  '/tributary.v1.TransactionCoordinator/EndTxn': transactionWrite,
  '/tributary.v1.TransactionCoordinator/TxnOffsetCommit': txnOffsetCommit,
  '/tributary.v1.TransactionCoordinator/DescribeTransactions': describeTransactions,
  '/tributary.v1.TransactionCoordinator/ListTransactions': listTransactions,
  '/tributary.v1.TransactionMarkers/WriteTxnMarkers': cluster('ClusterAction'),
  '/tributary.v1.TransactionMarkers/VerifyTxnPartitions': cluster('ClusterAction'),
};
