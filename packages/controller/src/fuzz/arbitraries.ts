/**
 * fast-check arbitraries for every request of the ControllerAdmin and BrokerLifecycle services:
 * boundary numbers, empty/huge/badly formed names, huge lists. Values stay inside what each wire type
 * carries (protobuf would wrap anything else); raw non-protobuf bytes are sent separately. The broker's
 * services have their own in packages/broker/src/fuzz (packages never import higher ones).
 */
import type {
  AllocateProducerIdsRequest,
  AlterPartitionReassignmentsRequest,
  AlterPartitionRequest,
  AlterTopicConfigsRequest,
  BrokerHeartbeatRequest,
  CreatePartitionsRequest,
  CreateTopicRequest,
  DecommissionBrokerRequest,
  DeleteTopicRequest,
  DescribeClusterRequest,
  DescribeQuorumRequest,
  DescribeTopicsRequest,
  ElectLeadersRequest,
  ListPartitionReassignmentsRequest,
  ListTopicsRequest,
  RegisterBrokerRequest,
  RemoveVoterRequest,
} from '@tributary/protocol';
import fc from 'fast-check';

const UINT32_MAX = 0xffff_ffff;

const uint32 = (): fc.Arbitrary<number> =>
  fc.oneof(
    fc.constantFrom(0, 1, 2, 3, 16, 17, 100_000, 100_001, 0x7fff_ffff, UINT32_MAX),
    fc.nat(20),
    fc.integer({ min: 0, max: UINT32_MAX }),
  );

/** Partition counts: small ones usually (a 100,000-partition topic is valid, and slow to place every run). */
const partitionCount = (): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.nat(8) },
    { weight: 1, arbitrary: fc.constantFrom(100_001, 0x7fff_ffff, UINT32_MAX) },
  );

const uint64 = (): fc.Arbitrary<number> =>
  fc.oneof(fc.constantFrom(0, 1, Number.MAX_SAFE_INTEGER, 2 ** 60), fc.nat(1_000), fc.maxSafeNat());

function nastyString(known: readonly string[] = []): fc.Arbitrary<string> {
  const specials = ['', '.', '..', '__consumer_offsets', 'bad name!', 'a/b', '\u0000', 'x'.repeat(250)];
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...specials, ...known) },
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
    { weight: 1, arbitrary: fc.constant('y'.repeat(100_000)) },
  );
}

function list<T, H>(item: fc.Arbitrary<T>, hugeItem: H): fc.Arbitrary<Array<T | H>> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.array<T | H>(item, { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.constant(Array.from({ length: 12_000 }, () => hugeItem)) },
  );
}

const CONFIG_NAMES = [
  'retention.ms',
  'retention.bytes',
  'segment.bytes',
  'cleanup.policy',
  'min.insync.replicas',
  'max.message.bytes',
];

export function controllerRequests(topics: readonly string[]) {
  const name = nastyString(topics);
  const config = fc.record({
    name: fc.oneof(fc.constantFrom(...CONFIG_NAMES), nastyString()),
    value: fc.oneof(
      fc.constantFrom('', '-1', '0', '1', 'compact', 'delete', '1e400', 'NaN', '9'.repeat(30)),
      nastyString(),
    ),
  });
  const brokerId = fc.oneof(fc.constantFrom(1, 2, 3), uint32());
  return {
    // Half well-formed (so creates reach placement and the metadata log), half hostile.
    CreateTopic: fc.oneof(
      fc.record({
        name: fc.stringMatching(/^[a-z][a-z0-9._-]{0,20}$/),
        partitions: fc.integer({ min: 1, max: 4 }),
        replicationFactor: fc.constant(1),
        configs: fc.subarray([
          { name: 'retention.ms', value: '60000' },
          { name: 'cleanup.policy', value: 'compact' },
        ]),
        validateOnly: fc.boolean(),
      }),
      fc.record({
        name,
        partitions: partitionCount(),
        replicationFactor: fc.oneof(fc.constantFrom(0, 1, 2, 16, 17), uint32()),
        configs: list(config, { name: 'retention.ms', value: '1' }),
        validateOnly: fc.boolean(),
      }),
    ) satisfies fc.Arbitrary<CreateTopicRequest>,
    DeleteTopic: fc.record({ name }) satisfies fc.Arbitrary<DeleteTopicRequest>,
    CreatePartitions: fc.record({
      name,
      totalCount: partitionCount(),
    }) satisfies fc.Arbitrary<CreatePartitionsRequest>,
    AlterTopicConfigs: fc.record({
      name,
      set: list(config, { name: 'retention.ms', value: '1' }),
      remove: list(fc.oneof(fc.constantFrom(...CONFIG_NAMES), nastyString()), 'retention.ms'),
      validateOnly: fc.boolean(),
    }) satisfies fc.Arbitrary<AlterTopicConfigsRequest>,
    ListTopics: fc.constant({}) satisfies fc.Arbitrary<ListTopicsRequest>,
    DescribeTopics: fc.record({ names: list(name, 'huge') }) satisfies fc.Arbitrary<DescribeTopicsRequest>,
    DescribeCluster: fc.constant({}) satisfies fc.Arbitrary<DescribeClusterRequest>,
    DescribeQuorum: fc.constant({}) satisfies fc.Arbitrary<DescribeQuorumRequest>,
    AlterPartitionReassignments: fc.record({
      targets: list(
        fc.record({
          topic: name,
          partition: fc.oneof(fc.nat(3), uint32()),
          replicas: list(brokerId, 1),
          cancel: fc.boolean(),
        }),
        { topic: 'fuzz-topic', partition: 0, replicas: [1], cancel: false },
      ),
      throttleBytesPerSec: uint64(),
      removeThrottle: fc.boolean(),
      validateOnly: fc.boolean(),
    }) satisfies fc.Arbitrary<AlterPartitionReassignmentsRequest>,
    ListPartitionReassignments: fc.record({
      topics: list(name, 'huge'),
    }) satisfies fc.Arbitrary<ListPartitionReassignmentsRequest>,
    ElectLeaders: fc.record({
      partitions: list(fc.record({ topic: name, partition: fc.oneof(fc.nat(3), uint32()) }), {
        topic: 'fuzz-topic',
        partition: 0,
      }),
    }) satisfies fc.Arbitrary<ElectLeadersRequest>,
    DecommissionBroker: fc.record({
      brokerId,
      throttleBytesPerSec: uint64(),
      cancel: fc.boolean(),
    }) satisfies fc.Arbitrary<DecommissionBrokerRequest>,
    // AddVoter is left out: a well-formed request adds a learner and waits up to 60 s for it to catch up,
    // longer than a fuzz call's deadline (its validation is covered by services/quorum-handlers.test.ts).
    RemoveVoter: fc.record({
      voterId: fc.oneof(fc.constantFrom(0, 1, 2), uint32()),
    }) satisfies fc.Arbitrary<RemoveVoterRequest>,
    RegisterBroker: fc.record({
      brokerId,
      incarnationId: nastyString(),
      address: fc.oneof(
        fc.constantFrom('127.0.0.1:1', 'host:0', ':', 'no-port', '[::1]:65536'),
        nastyString(),
      ),
      rack: nastyString(),
    }) satisfies fc.Arbitrary<RegisterBrokerRequest>,
    BrokerHeartbeat: fc.record({
      brokerId,
      brokerEpoch: uint64(),
      metadataOffset: uint64(),
      wantFence: fc.boolean(),
      wantShutdown: fc.boolean(),
      unreachableBrokerIds: list(brokerId, 1),
    }) satisfies fc.Arbitrary<BrokerHeartbeatRequest>,
    AlterPartition: fc.record({
      brokerId,
      brokerEpoch: uint64(),
      items: list(
        fc.record({
          topic: name,
          partition: fc.oneof(fc.constantFrom(0, 1), uint32()),
          leaderEpoch: uint32(),
          partitionEpoch: uint32(),
          newIsr: list(brokerId, 1),
        }),
        { topic: 'huge', partition: 0, leaderEpoch: 0, partitionEpoch: 0, newIsr: [] },
      ),
    }) satisfies fc.Arbitrary<AlterPartitionRequest>,
    AllocateProducerIds: fc.record({
      brokerId,
      brokerEpoch: uint64(),
    }) satisfies fc.Arbitrary<AllocateProducerIdsRequest>,
  };
}
