/**
 * Authorization of the transaction APIs on the Kafka listener (txn-guards.ts), Kafka's rules: Write on the
 * transactional id for AddPartitionsToTxn, AddOffsetsToTxn, EndTxn and TxnOffsetCommit; Write on every added
 * topic (one refused topic adds nothing); Read on the group for AddOffsetsToTxn and TxnOffsetCommit;
 * DescribeTransactions and ListTransactions show only the ids the caller may Describe; WriteTxnMarkers needs
 * ClusterAction. The coordinator behind is a recording fake: a refused request must never reach it.
 */
import { ERROR_CODES, type ErrorCode, TributaryError } from '@tributary/core';
import {
  AddOffsetsToTxn,
  AddPartitionsToTxn,
  DescribeProducers,
  DescribeTransactions,
  EndTxn,
  ListTransactions,
  TxnOffsetCommit,
  WriteTxnMarkers,
} from '@tributary/kafka-protocol';
import { AccessControl, type AclEntry } from '@tributary/security';
import { describe, expect, it } from 'vitest';
import { kafkaRegistry } from '../server.js';
import {
  adminParts,
  brokerRecords,
  FakeController,
  FakeMetadata,
  topicRecords,
} from '../testing/admin-fakes.js';
import { FakeTransactions } from '../testing/fake-transactions.js';
import { ADMIN, ALICE, askAs, BOB, TOPIC_A_ID, TOPIC_B_ID } from './testing.js';

const code = (name: ErrorCode): number => ERROR_CODES[name].kafka;

function acl(id: string, fields: Partial<AclEntry>): AclEntry {
  return {
    id,
    resourceType: 'Topic',
    resourceName: 'a',
    patternType: 'Literal',
    principal: 'User:alice',
    host: '*',
    operation: 'Write',
    permission: 'Allow',
    ...fields,
  };
}

/**
 * alice: Write on topic a and on transactional ids tx-*, Read on groups g-*, Describe on id other-1, Read
 * on topic b.
 */
const ACLS: readonly AclEntry[] = [
  acl('1', {}),
  acl('2', { resourceType: 'TransactionalId', resourceName: 'tx-', patternType: 'Prefixed' }),
  acl('3', { resourceType: 'Group', resourceName: 'g-', patternType: 'Prefixed', operation: 'Read' }),
  acl('4', { resourceType: 'TransactionalId', resourceName: 'other-1', operation: 'Describe' }),
  acl('5', { resourceName: 'b', operation: 'Read' }),
];

function fixture() {
  const metadata = new FakeMetadata([
    ...brokerRecords(1),
    ...topicRecords({ name: 'a', topicId: TOPIC_A_ID, partitions: 2, replicationFactor: 1 }),
    ...topicRecords({ name: 'b', topicId: TOPIC_B_ID, partitions: 2, replicationFactor: 1 }),
  ]);
  const access = new AccessControl(
    { enabled: true, superUsers: new Set(['User:admin']), allowEveryoneIfNoAclFound: false },
    () => new Map(ACLS.map((entry) => [entry.id, entry])),
    () => undefined,
  );
  const transactions = new FakeTransactions();
  const described: string[] = [];
  const producers = {
    describeProducers: (wanted: readonly { topic: string; partition: number }[]) =>
      wanted.map(({ topic, partition }) => {
        described.push(`${topic}-${partition}`);
        return { topic, partition, errorCode: '', errorMessage: '', activeProducers: [] };
      }),
  };
  const parts = adminParts(metadata, new FakeController(metadata), { access, transactions, producers });
  return { registry: kafkaRegistry(parts), transactions, described };
}

const PRODUCER = { producerId: 7, producerEpoch: 1 };

function addPartitions(transactionalId: string, topics: readonly string[]) {
  return {
    transactions: [],
    v3AndBelowTransactionalId: transactionalId,
    v3AndBelowProducerId: PRODUCER.producerId,
    v3AndBelowProducerEpoch: PRODUCER.producerEpoch,
    v3AndBelowTopics: topics.map((name) => ({ name, partitions: [0, 1] })),
  };
}

function byTopic(answer: {
  resultsByTopicV3AndBelow: readonly {
    name: string;
    resultsByPartition: readonly { partitionErrorCode: number }[];
  }[];
}) {
  return Object.fromEntries(
    answer.resultsByTopicV3AndBelow.map((t) => [
      t.name,
      t.resultsByPartition.map((p) => p.partitionErrorCode),
    ]),
  );
}

describe('AddPartitionsToTxn', () => {
  it('needs Write on the transactional id and on every topic; one refused topic adds nothing', async () => {
    const { registry, transactions } = fixture();
    const ok = await askAs(registry, ALICE, AddPartitionsToTxn, 3, addPartitions('tx-1', ['a']));
    expect(byTopic(ok)).toEqual({ a: [0, 0] });
    const oneRefused = await askAs(registry, ALICE, AddPartitionsToTxn, 3, addPartitions('tx-1', ['a', 'b']));
    const notAttempted = code('OPERATION_NOT_ATTEMPTED');
    const refused = code('TOPIC_AUTHORIZATION_FAILED');
    expect(byTopic(oneRefused)).toEqual({ a: [notAttempted, notAttempted], b: [refused, refused] });
    const noId = await askAs(registry, ALICE, AddPartitionsToTxn, 3, addPartitions('other-1', ['a']));
    const idRefused = code('TRANSACTIONAL_ID_AUTHORIZATION_FAILED');
    expect(byTopic(noId)).toEqual({ a: [idRefused, idRefused] });
    expect(transactions.calls.map((c) => c.method)).toEqual(['addPartitionsToTxn']);
  });
});

describe('AddOffsetsToTxn, EndTxn and TxnOffsetCommit', () => {
  it('AddOffsetsToTxn needs Write on the id and Read on the group; EndTxn Write on the id', async () => {
    const { registry, transactions } = fixture();
    const offsets = (transactionalId: string, groupId: string) => ({ transactionalId, ...PRODUCER, groupId });
    expect((await askAs(registry, ALICE, AddOffsetsToTxn, 3, offsets('tx-1', 'g-1'))).errorCode).toBe(0);
    expect((await askAs(registry, ALICE, AddOffsetsToTxn, 3, offsets('tx-1', 'h-1'))).errorCode).toBe(
      code('GROUP_AUTHORIZATION_FAILED'),
    );
    expect((await askAs(registry, ALICE, AddOffsetsToTxn, 3, offsets('x-1', 'g-1'))).errorCode).toBe(
      code('TRANSACTIONAL_ID_AUTHORIZATION_FAILED'),
    );
    const end = (transactionalId: string) => ({ transactionalId, ...PRODUCER, committed: true });
    expect((await askAs(registry, ALICE, EndTxn, 3, end('tx-1'))).errorCode).toBe(0);
    expect((await askAs(registry, BOB, EndTxn, 3, end('tx-1'))).errorCode).toBe(
      code('TRANSACTIONAL_ID_AUTHORIZATION_FAILED'),
    );
    expect(transactions.calls.map((c) => c.method)).toEqual(['addOffsetsToTxn', 'endTxn']);
  });

  it('TxnOffsetCommit needs Write on the id and Read on the group, else every partition is refused', async () => {
    const { registry } = fixture();
    const commit = (transactionalId: string, groupId: string) => ({
      transactionalId,
      groupId,
      ...PRODUCER,
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        {
          name: 'a',
          partitions: [0, 1].map((partitionIndex) => ({
            partitionIndex,
            committedOffset: 5,
            committedLeaderEpoch: -1,
            committedMetadata: null,
          })),
        },
      ],
    });
    const codes = (answer: { topics: readonly { partitions: readonly { errorCode: number }[] }[] }) =>
      answer.topics.flatMap((t) => t.partitions.map((p) => p.errorCode));
    const idRefused = code('TRANSACTIONAL_ID_AUTHORIZATION_FAILED');
    const groupRefused = code('GROUP_AUTHORIZATION_FAILED');
    expect(codes(await askAs(registry, ALICE, TxnOffsetCommit, 3, commit('x-1', 'g-1')))).toEqual([
      idRefused,
      idRefused,
    ]);
    expect(codes(await askAs(registry, ALICE, TxnOffsetCommit, 3, commit('tx-1', 'h-1')))).toEqual([
      groupRefused,
      groupRefused,
    ]);
  });
});

describe('WriteTxnMarkers, DescribeTransactions, ListTransactions', () => {
  it('WriteTxnMarkers needs ClusterAction: a client is refused on every partition', async () => {
    const { registry } = fixture();
    const answer = await askAs(registry, ALICE, WriteTxnMarkers, 1, {
      markers: [
        {
          ...PRODUCER,
          transactionResult: false,
          topics: [{ name: 'a', partitionIndexes: [0, 1] }],
          coordinatorEpoch: 0,
        },
      ],
    });
    expect(answer.markers[0]?.topics[0]?.partitions.map((p) => p.errorCode)).toEqual([
      code('CLUSTER_AUTHORIZATION_FAILED'),
      code('CLUSTER_AUTHORIZATION_FAILED'),
    ]);
  });

  it('DescribeTransactions refuses the ids the caller may not Describe; ListTransactions leaves them out', async () => {
    const { registry, transactions } = fixture();
    transactions.listed = [
      { transactionalId: 'other-1', producerId: 1, state: 'Ongoing' },
      { transactionalId: 'other-2', producerId: 2, state: 'Ongoing' },
      { transactionalId: 'tx-9', producerId: 3, state: 'Empty' },
    ];
    transactions.described = [
      {
        kind: 'error',
        transactionalId: 'other-1',
        error: new TributaryError('TRANSACTIONAL_ID_NOT_FOUND', 'no such id'),
      },
    ];
    const described = await askAs(registry, ALICE, DescribeTransactions, 0, {
      transactionalIds: ['other-2', 'other-1'],
    });
    expect(described.transactionStates.map((s) => [s.transactionalId, s.errorCode])).toEqual([
      ['other-1', code('TRANSACTIONAL_ID_NOT_FOUND')],
      ['other-2', code('TRANSACTIONAL_ID_AUTHORIZATION_FAILED')],
    ]);
    expect(transactions.calls).toEqual([{ method: 'describeTransactions', request: ['other-1'] }]);
    const list = { stateFilters: [], producerIdFilters: [], durationFilter: -1 };
    // Write on tx-* implies Describe, as in Kafka.
    const listed = await askAs(registry, ALICE, ListTransactions, 1, list);
    expect(listed.transactionStates.map((s) => s.transactionalId)).toEqual(['other-1', 'tx-9']);
    const all = await askAs(registry, ADMIN, ListTransactions, 1, list);
    expect(all.transactionStates).toHaveLength(3);
  });
});

describe('DescribeProducers', () => {
  it('needs Read on the topic (Write is not enough): a refused topic never reaches the leader', async () => {
    const { registry, described } = fixture();
    const answer = await askAs(registry, ALICE, DescribeProducers, 0, {
      topics: [
        { name: 'a', partitionIndexes: [0] },
        { name: 'b', partitionIndexes: [0, 1] },
      ],
    });
    const codes = answer.topics.flatMap((t) =>
      t.partitions.map((p) => [t.name, p.partitionIndex, p.errorCode]),
    );
    expect(codes).toEqual([
      ['b', 0, 0],
      ['b', 1, 0],
      ['a', 0, code('TOPIC_AUTHORIZATION_FAILED')],
    ]);
    expect(described).toEqual(['b-0', 'b-1']);
    const admin = await askAs(registry, ADMIN, DescribeProducers, 0, {
      topics: [{ name: 'a', partitionIndexes: [1] }],
    });
    expect(admin.topics[0]?.partitions[0]?.errorCode).toBe(0);
  });
});
