/**
 * One arbitrary per request message of the Broker, Replication and GroupCoordinator services. Wait
 * times are either short or invalid, never a valid long poll: a call that outlives its deadline is
 * then a hang, not a legitimate wait.
 */
import type {
  DeleteGroupOffsetsRequest,
  DeleteRecordsRequest,
  DescribeGroupRequest,
  DescribeProducersRequest,
  DescribeReplicasRequest,
  FetchRequest,
  FindCoordinatorRequest,
  GroupHeartbeatRequest,
  InitProducerIdRequest,
  ListGroupsRequest,
  ListOffsetsRequest,
  MetadataRequest,
  OffsetCommitRequest,
  OffsetFetchRequest,
  ProduceRequest,
  ReplicaFetchRequest,
} from '@tributary/protocol';
import fc from 'fast-check';
import { int32, int64, list, nastyString, recordBytes, uint32, uint64 } from './arbitraries.js';

/** Long-poll waits: short valid ones and the first invalid ones past REQUEST_LIMITS.fetchMaxWaitMsMax. */
const waitMs = (): fc.Arbitrary<number> => fc.constantFrom(0, 1, 50, 60_001, 0xffff_ffff);

export function brokerRequests(topics: readonly string[]) {
  // A third of the names hit an existing topic, so batches reach the log and not only the validation.
  const name =
    topics.length === 0
      ? nastyString()
      : fc.oneof(
          { weight: 1, arbitrary: fc.constantFrom(...topics) },
          { weight: 2, arbitrary: nastyString(topics) },
        );
  const partition = fc.oneof(fc.constantFrom(0, 1), uint32());
  const topicPartitions = fc.record({ topic: name, partitions: list(partition, 0) });
  return {
    Produce: fc.record({
      acks: fc.oneof(fc.constantFrom(-1, 0, 1), int32()),
      timeoutMs: fc.oneof(fc.constantFrom(0, 1_000, 300_001), uint32()),
      topics: list(
        fc.record({
          name,
          partitions: list(fc.record({ partition, records: recordBytes() }), { partition: 0 }),
        }),
        { name: 'huge', partitions: [] },
      ),
    }) satisfies fc.Arbitrary<ProduceRequest>,
    Fetch: fc.record({
      maxWaitMs: waitMs(),
      minBytes: uint32(),
      maxBytes: uint32(),
      topics: list(
        fc.record({
          name,
          partitions: list(
            fc.record({
              partition,
              fetchOffset: int64(),
              partitionMaxBytes: uint32(),
              currentLeaderEpoch: int32(),
            }),
            { partition: 0 },
          ),
        }),
        { name: 'huge', partitions: [] },
      ),
    }) satisfies fc.Arbitrary<FetchRequest>,
    ListOffsets: fc.record({
      topics: list(
        fc.record({
          name,
          partitions: list(fc.record({ partition, timestamp: int64() }), { partition: 0 }),
        }),
        { name: 'huge', partitions: [] },
      ),
    }) satisfies fc.Arbitrary<ListOffsetsRequest>,
    Metadata: fc.record({
      topics: list(name, 'huge'),
      allowAutoTopicCreation: fc.boolean(),
    }) satisfies fc.Arbitrary<MetadataRequest>,
    InitProducerId: fc.record({
      transactionalId: nastyString(),
    }) satisfies fc.Arbitrary<InitProducerIdRequest>,
    DeleteRecords: fc.record({
      timeoutMs: fc.oneof(fc.constantFrom(0, 1, 300_001), uint32()),
      // Never the acknowledged topic (the run checks its batches read back): validation, policy and
      // unknown partitions are what is fuzzed here; the replica tests cover real deletions.
      topics: list(
        fc.record({
          name: nastyString(),
          partitions: list(fc.record({ partition, offset: int64() }), { partition: 0, offset: 0 }),
        }),
        { name: 'huge', partitions: [] },
      ),
    }) satisfies fc.Arbitrary<DeleteRecordsRequest>,
    DescribeReplicas: fc.record({
      partitions: list(fc.record({ topic: name, partition }), { topic: 'huge', partition: 0 }),
    }) satisfies fc.Arbitrary<DescribeReplicasRequest>,
    DescribeProducers: fc.record({
      topics: list(fc.record({ name, partitions: list(fc.record({ partition }), { partition: 0 }) }), {
        name: 'huge',
        partitions: [],
      }),
    }) satisfies fc.Arbitrary<DescribeProducersRequest>,
    ReplicaFetch: fc.record({
      replicaId: uint32(),
      brokerEpoch: uint64(),
      maxWaitMs: waitMs(),
      minBytes: uint32(),
      maxBytes: uint32(),
      partitions: list(
        fc.record({
          topic: name,
          partition,
          fetchOffset: int64(),
          lastFetchedEpoch: int32(),
          currentLeaderEpoch: int32(),
          logStartOffset: int64(),
        }),
        { topic: 'huge', partition: 0 },
      ),
    }) satisfies fc.Arbitrary<ReplicaFetchRequest>,
    FindCoordinator: fc.record({
      groupId: nastyString(['g']),
    }) satisfies fc.Arbitrary<FindCoordinatorRequest>,
    GroupHeartbeat: fc.record({
      groupId: nastyString(['g']),
      memberId: nastyString(),
      memberEpoch: int32(),
      clientId: nastyString(),
      subscribedTopics: list(name, 'huge'),
      assignor: fc.constantFrom('', 'uniform', 'range', 'nope'),
      rebalanceTimeoutMs: uint32(),
      sessionTimeoutMs: uint32(),
      ownedPartitions: list(topicPartitions, { topic: 'huge', partitions: [] }),
    }) satisfies fc.Arbitrary<GroupHeartbeatRequest>,
    OffsetCommit: fc.record({
      groupId: nastyString(['g']),
      memberId: nastyString(),
      memberEpoch: int32(),
      topics: list(
        fc.record({
          name,
          partitions: list(
            fc.record({ partition, offset: int64(), leaderEpoch: int32(), metadata: nastyString() }),
            { partition: 0, offset: 0, leaderEpoch: 0, metadata: '' },
          ),
        }),
        { name: 'huge', partitions: [] },
      ),
    }) satisfies fc.Arbitrary<OffsetCommitRequest>,
    OffsetFetch: fc.record({
      groupId: nastyString(['g']),
      topics: list(topicPartitions, { topic: 'huge', partitions: [] }),
    }) satisfies fc.Arbitrary<OffsetFetchRequest>,
    ListGroups: fc.constant({}) satisfies fc.Arbitrary<ListGroupsRequest>,
    DescribeGroup: fc.record({ groupId: nastyString(['g']) }) satisfies fc.Arbitrary<DescribeGroupRequest>,
    DeleteGroupOffsets: fc.record({
      groupId: nastyString(['g']),
      topics: list(topicPartitions, { topic: 'huge', partitions: [] }),
    }) satisfies fc.Arbitrary<DeleteGroupOffsetsRequest>,
  };
}
