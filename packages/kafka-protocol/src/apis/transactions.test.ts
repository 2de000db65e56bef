/**
 * Wire checks of the transaction APIs (AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, WriteTxnMarkers,
 * TxnOffsetCommit, DescribeTransactions, ListTransactions), each body spelled out field by field from the
 * protocol guide's BNF (testing/wire-bytes.ts) at the lowest version, where fields appear, and the highest.
 * captured.test.ts pins the client-sent ones to real clients' bytes; WriteTxnMarkers is broker-to-broker and
 * no client sends it, so these layouts are its only golden bytes.
 */
import { describe, expect, it } from 'vitest';
import type { RequestOf, ResponseOf } from '../api.js';
import * as w from '../testing/wire-bytes.js';
import { expectRequestWire, expectResponseWire } from '../testing/wire-check.js';
import { KAFKA_APIS } from './index.js';
import { DescribeTransactions, ListTransactions, WriteTxnMarkers } from './transaction-admin.js';
import { AddOffsetsToTxn, AddPartitionsToTxn, EndTxn, TxnOffsetCommit } from './transactions.js';

const { NO_TAGS } = w;

describe('the registry', () => {
  const expected: readonly (readonly [
    name: string,
    key: number,
    min: number,
    max: number,
    flexible: number,
  ])[] = [
    ['AddPartitionsToTxn', 24, 0, 5, 3],
    ['AddOffsetsToTxn', 25, 0, 4, 3],
    ['EndTxn', 26, 0, 4, 3],
    ['WriteTxnMarkers', 27, 0, 1, 1],
    ['TxnOffsetCommit', 28, 0, 4, 3],
    ['DescribeTransactions', 65, 0, 0, 0],
    ['ListTransactions', 66, 0, 1, 0],
  ];
  for (const [name, key, min, max, flexible] of expected) {
    it(`${name} is key ${key}, v${min}-${max}, flexible from v${flexible}`, () => {
      const api = KAFKA_APIS.get(key);
      expect(api?.name).toBe(name);
      expect(api?.versions).toEqual({ min, max });
      expect(api?.flexibleVersions).toEqual({ min: flexible, max: Number.POSITIVE_INFINITY });
    });
  }
});

describe('AddPartitionsToTxn', () => {
  const v3AndBelow = {
    transactions: [],
    v3AndBelowTransactionalId: 'tx-1',
    v3AndBelowProducerId: 4_000,
    v3AndBelowProducerEpoch: 2,
    v3AndBelowTopics: [{ name: 'orders', partitions: [0, 2] }],
  };

  it('v0 request: transactional_id producer_id producer_epoch [topics => name [partitions]]', () => {
    const wire = w.concat(
      w.string('tx-1'),
      w.int64(4_000),
      w.int16(2),
      w.array(w.concat(w.string('orders'), w.array(w.int32(0), w.int32(2)))),
    );
    expectRequestWire(AddPartitionsToTxn, 0, v3AndBelow, wire);
  });

  it('v0 response: throttle_time_ms [results => name [partition_index partition_error_code]]', () => {
    const value: ResponseOf<typeof AddPartitionsToTxn> = {
      throttleTimeMs: 0,
      errorCode: 0,
      resultsByTransaction: [],
      resultsByTopicV3AndBelow: [
        {
          name: 'orders',
          resultsByPartition: [
            { partitionIndex: 0, partitionErrorCode: 0 },
            { partitionIndex: 2, partitionErrorCode: 51 },
          ],
        },
      ],
    };
    const wire = w.concat(
      w.int32(0),
      w.array(
        w.concat(
          w.string('orders'),
          w.array(w.concat(w.int32(0), w.int16(0)), w.concat(w.int32(2), w.int16(51))),
        ),
      ),
    );
    expectResponseWire(AddPartitionsToTxn, 0, value, wire);
  });

  it('v3 request and response: the v0 layout, compact and tagged', () => {
    const request = w.concat(
      w.compactString('tx-1'),
      w.int64(4_000),
      w.int16(2),
      w.compactArray(w.concat(w.compactString('orders'), w.compactArray(w.int32(0), w.int32(2)), NO_TAGS)),
      NO_TAGS,
    );
    expectRequestWire(AddPartitionsToTxn, 3, v3AndBelow, request);
    const value: ResponseOf<typeof AddPartitionsToTxn> = {
      throttleTimeMs: 5,
      errorCode: 0,
      resultsByTransaction: [],
      resultsByTopicV3AndBelow: [
        { name: 'orders', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 90 }] },
      ],
    };
    const response = w.concat(
      w.int32(5),
      w.compactArray(
        w.concat(
          w.compactString('orders'),
          w.compactArray(w.concat(w.int32(0), w.int16(90), NO_TAGS)),
          NO_TAGS,
        ),
      ),
      NO_TAGS,
    );
    expectResponseWire(AddPartitionsToTxn, 3, value, response);
  });

  it("v4 request (KIP-890's broker form): [transactions => transactional_id producer_id producer_epoch verify_only [topics]]", () => {
    const value: RequestOf<typeof AddPartitionsToTxn> = {
      transactions: [
        {
          transactionalId: 'tx-1',
          producerId: 4_000,
          producerEpoch: 2,
          verifyOnly: true,
          topics: [{ name: 'orders', partitions: [1] }],
        },
        { transactionalId: 'tx-2', producerId: 4_001, producerEpoch: 0, verifyOnly: false, topics: [] },
      ],
      v3AndBelowTransactionalId: '',
      v3AndBelowProducerId: 0,
      v3AndBelowProducerEpoch: 0,
      v3AndBelowTopics: [],
    };
    const wire = w.concat(
      w.compactArray(
        w.concat(
          w.compactString('tx-1'),
          w.int64(4_000),
          w.int16(2),
          w.bool(true),
          w.compactArray(w.concat(w.compactString('orders'), w.compactArray(w.int32(1)), NO_TAGS)),
          NO_TAGS,
        ),
        w.concat(
          w.compactString('tx-2'),
          w.int64(4_001),
          w.int16(0),
          w.bool(false),
          w.compactArray(),
          NO_TAGS,
        ),
      ),
      NO_TAGS,
    );
    expectRequestWire(AddPartitionsToTxn, 4, value, wire);
  });

  it('v5 response: throttle_time_ms error_code [results_by_transaction => transactional_id [topic_results]]', () => {
    const value: ResponseOf<typeof AddPartitionsToTxn> = {
      throttleTimeMs: 0,
      errorCode: 0,
      resultsByTransaction: [
        {
          transactionalId: 'tx-1',
          topicResults: [
            { name: 'orders', resultsByPartition: [{ partitionIndex: 1, partitionErrorCode: 48 }] },
          ],
        },
      ],
      resultsByTopicV3AndBelow: [],
    };
    const wire = w.concat(
      w.int32(0),
      w.int16(0),
      w.compactArray(
        w.concat(
          w.compactString('tx-1'),
          w.compactArray(
            w.concat(
              w.compactString('orders'),
              w.compactArray(w.concat(w.int32(1), w.int16(48), NO_TAGS)),
              NO_TAGS,
            ),
          ),
          NO_TAGS,
        ),
      ),
      NO_TAGS,
    );
    expectResponseWire(AddPartitionsToTxn, 5, value, wire);
  });
});

describe('AddOffsetsToTxn and EndTxn', () => {
  it('AddOffsetsToTxn v0: transactional_id producer_id producer_epoch group_id; throttle_time_ms error_code', () => {
    const value = { transactionalId: 'tx-1', producerId: 4_000, producerEpoch: 2, groupId: 'billing' };
    const wire = w.concat(w.string('tx-1'), w.int64(4_000), w.int16(2), w.string('billing'));
    expectRequestWire(AddOffsetsToTxn, 0, value, wire);
    expectResponseWire(
      AddOffsetsToTxn,
      0,
      { throttleTimeMs: 0, errorCode: 49 },
      w.concat(w.int32(0), w.int16(49)),
    );
  });

  it('AddOffsetsToTxn v4: compact and tagged', () => {
    const value = { transactionalId: 'tx-1', producerId: 4_000, producerEpoch: 2, groupId: 'billing' };
    const wire = w.concat(
      w.compactString('tx-1'),
      w.int64(4_000),
      w.int16(2),
      w.compactString('billing'),
      NO_TAGS,
    );
    expectRequestWire(AddOffsetsToTxn, 4, value, wire);
    const response = w.concat(w.int32(1), w.int16(0), NO_TAGS);
    expectResponseWire(AddOffsetsToTxn, 4, { throttleTimeMs: 1, errorCode: 0 }, response);
  });

  it('EndTxn v0: transactional_id producer_id producer_epoch committed; throttle_time_ms error_code', () => {
    const value = { transactionalId: 'tx-1', producerId: 4_000, producerEpoch: 2, committed: false };
    expectRequestWire(
      EndTxn,
      0,
      value,
      w.concat(w.string('tx-1'), w.int64(4_000), w.int16(2), w.bool(false)),
    );
    expectResponseWire(EndTxn, 0, { throttleTimeMs: 0, errorCode: 0 }, w.concat(w.int32(0), w.int16(0)));
  });

  it('EndTxn v4: compact and tagged', () => {
    const value = { transactionalId: 'tx-1', producerId: 4_000, producerEpoch: 2, committed: true };
    const wire = w.concat(w.compactString('tx-1'), w.int64(4_000), w.int16(2), w.bool(true), NO_TAGS);
    expectRequestWire(EndTxn, 4, value, wire);
    expectResponseWire(
      EndTxn,
      4,
      { throttleTimeMs: 0, errorCode: 90 },
      w.concat(w.int32(0), w.int16(90), NO_TAGS),
    );
  });
});

describe('WriteTxnMarkers (broker to broker: these are its golden bytes)', () => {
  const request: RequestOf<typeof WriteTxnMarkers> = {
    markers: [
      {
        producerId: 4_000,
        producerEpoch: 2,
        transactionResult: true,
        topics: [
          { name: 'orders', partitionIndexes: [0, 1] },
          { name: '__consumer_offsets', partitionIndexes: [7] },
        ],
        coordinatorEpoch: 3,
      },
    ],
  };
  const response: ResponseOf<typeof WriteTxnMarkers> = {
    markers: [
      {
        producerId: 4_000,
        topics: [
          {
            name: 'orders',
            partitions: [
              { partitionIndex: 0, errorCode: 0 },
              { partitionIndex: 1, errorCode: 6 },
            ],
          },
        ],
      },
    ],
  };

  it('v0 request: [markers => producer_id producer_epoch transaction_result [topics => name [partition_indexes]] coordinator_epoch]', () => {
    const wire = w.concat(
      w.array(
        w.concat(
          w.int64(4_000),
          w.int16(2),
          w.bool(true),
          w.array(
            w.concat(w.string('orders'), w.array(w.int32(0), w.int32(1))),
            w.concat(w.string('__consumer_offsets'), w.array(w.int32(7))),
          ),
          w.int32(3),
        ),
      ),
    );
    expectRequestWire(WriteTxnMarkers, 0, request, wire);
  });

  it('v0 response: [markers => producer_id [topics => name [partitions => partition_index error_code]]]', () => {
    const wire = w.array(
      w.concat(
        w.int64(4_000),
        w.array(
          w.concat(
            w.string('orders'),
            w.array(w.concat(w.int32(0), w.int16(0)), w.concat(w.int32(1), w.int16(6))),
          ),
        ),
      ),
    );
    expectResponseWire(WriteTxnMarkers, 0, response, wire);
  });

  it('v1 request and response: compact and tagged', () => {
    const requestWire = w.concat(
      w.compactArray(
        w.concat(
          w.int64(4_000),
          w.int16(2),
          w.bool(true),
          w.compactArray(
            w.concat(w.compactString('orders'), w.compactArray(w.int32(0), w.int32(1)), NO_TAGS),
            w.concat(w.compactString('__consumer_offsets'), w.compactArray(w.int32(7)), NO_TAGS),
          ),
          w.int32(3),
          NO_TAGS,
        ),
      ),
      NO_TAGS,
    );
    expectRequestWire(WriteTxnMarkers, 1, request, requestWire);
    const responseWire = w.concat(
      w.compactArray(
        w.concat(
          w.int64(4_000),
          w.compactArray(
            w.concat(
              w.compactString('orders'),
              w.compactArray(
                w.concat(w.int32(0), w.int16(0), NO_TAGS),
                w.concat(w.int32(1), w.int16(6), NO_TAGS),
              ),
              NO_TAGS,
            ),
          ),
          NO_TAGS,
        ),
      ),
      NO_TAGS,
    );
    expectResponseWire(WriteTxnMarkers, 1, response, responseWire);
  });
});

describe('TxnOffsetCommit', () => {
  const partition = {
    partitionIndex: 3,
    committedOffset: 1_200,
    committedLeaderEpoch: -1,
    committedMetadata: null,
  };

  it('v0 request: transactional_id group_id producer_id producer_epoch [topics => name [partition offset metadata]]', () => {
    const value: RequestOf<typeof TxnOffsetCommit> = {
      transactionalId: 'tx-1',
      groupId: 'billing',
      producerId: 4_000,
      producerEpoch: 2,
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [{ name: 'orders', partitions: [{ ...partition, committedMetadata: 'm' }] }],
    };
    const wire = w.concat(
      w.string('tx-1'),
      w.string('billing'),
      w.int64(4_000),
      w.int16(2),
      w.array(w.concat(w.string('orders'), w.array(w.concat(w.int32(3), w.int64(1_200), w.string('m'))))),
    );
    expectRequestWire(TxnOffsetCommit, 0, value, wire);
  });

  it('v2 request: committed_leader_epoch before the metadata (null metadata allowed)', () => {
    const value: RequestOf<typeof TxnOffsetCommit> = {
      transactionalId: 'tx-1',
      groupId: 'billing',
      producerId: 4_000,
      producerEpoch: 2,
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [{ name: 'orders', partitions: [{ ...partition, committedLeaderEpoch: 5 }] }],
    };
    const wire = w.concat(
      w.string('tx-1'),
      w.string('billing'),
      w.int64(4_000),
      w.int16(2),
      w.array(
        w.concat(
          w.string('orders'),
          w.array(w.concat(w.int32(3), w.int64(1_200), w.int32(5), w.string(null))),
        ),
      ),
    );
    expectRequestWire(TxnOffsetCommit, 2, value, wire);
  });

  it('v3 request (KIP-447): generation_id member_id group_instance_id after the producer, compact and tagged', () => {
    const value: RequestOf<typeof TxnOffsetCommit> = {
      transactionalId: 'tx-1',
      groupId: 'billing',
      producerId: 4_000,
      producerEpoch: 2,
      generationId: 7,
      memberId: 'member-1',
      groupInstanceId: 'instance-a',
      topics: [{ name: 'orders', partitions: [partition] }],
    };
    const wire = w.concat(
      w.compactString('tx-1'),
      w.compactString('billing'),
      w.int64(4_000),
      w.int16(2),
      w.int32(7),
      w.compactString('member-1'),
      w.compactString('instance-a'),
      w.compactArray(
        w.concat(
          w.compactString('orders'),
          w.compactArray(w.concat(w.int32(3), w.int64(1_200), w.int32(-1), w.compactString(null), NO_TAGS)),
          NO_TAGS,
        ),
      ),
      NO_TAGS,
    );
    expectRequestWire(TxnOffsetCommit, 3, value, wire);
  });

  it('v0 and v4 responses: throttle_time_ms [topics => name [partitions => partition_index error_code]]', () => {
    const value: ResponseOf<typeof TxnOffsetCommit> = {
      throttleTimeMs: 0,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 3, errorCode: 22 }] }],
    };
    const v0 = w.concat(
      w.int32(0),
      w.array(w.concat(w.string('orders'), w.array(w.concat(w.int32(3), w.int16(22))))),
    );
    expectResponseWire(TxnOffsetCommit, 0, value, v0);
    const v4 = w.concat(
      w.int32(0),
      w.compactArray(
        w.concat(
          w.compactString('orders'),
          w.compactArray(w.concat(w.int32(3), w.int16(22), NO_TAGS)),
          NO_TAGS,
        ),
      ),
      NO_TAGS,
    );
    expectResponseWire(TxnOffsetCommit, 4, value, v4);
  });
});

describe('DescribeTransactions and ListTransactions (flexible in every version)', () => {
  it('DescribeTransactions v0 request: [transactional_ids]', () => {
    const wire = w.concat(w.compactArray(w.compactString('tx-1'), w.compactString('tx-2')), NO_TAGS);
    expectRequestWire(DescribeTransactions, 0, { transactionalIds: ['tx-1', 'tx-2'] }, wire);
  });

  it('DescribeTransactions v0 response: throttle_time_ms [transaction_states => error_code transactional_id state timeout_ms start_time_ms producer_id producer_epoch [topics]]', () => {
    const value: ResponseOf<typeof DescribeTransactions> = {
      throttleTimeMs: 0,
      transactionStates: [
        {
          errorCode: 0,
          transactionalId: 'tx-1',
          transactionState: 'Ongoing',
          transactionTimeoutMs: 60_000,
          transactionStartTimeMs: 1_700_000_000_000,
          producerId: 4_000,
          producerEpoch: 2,
          topics: [{ topic: 'orders', partitions: [0, 1] }],
        },
        {
          errorCode: 105,
          transactionalId: 'tx-2',
          transactionState: '',
          transactionTimeoutMs: 0,
          transactionStartTimeMs: -1,
          producerId: -1,
          producerEpoch: -1,
          topics: [],
        },
      ],
    };
    const wire = w.concat(
      w.int32(0),
      w.compactArray(
        w.concat(
          w.int16(0),
          w.compactString('tx-1'),
          w.compactString('Ongoing'),
          w.int32(60_000),
          w.int64(1_700_000_000_000),
          w.int64(4_000),
          w.int16(2),
          w.compactArray(
            w.concat(w.compactString('orders'), w.compactArray(w.int32(0), w.int32(1)), NO_TAGS),
          ),
          NO_TAGS,
        ),
        w.concat(
          w.int16(105),
          w.compactString('tx-2'),
          w.compactString(''),
          w.int32(0),
          w.int64(-1),
          w.int64(-1),
          w.int16(-1),
          w.compactArray(),
          NO_TAGS,
        ),
      ),
      NO_TAGS,
    );
    expectResponseWire(DescribeTransactions, 0, value, wire);
  });

  it('ListTransactions v0 request: [state_filters] [producer_id_filters]; v1 adds duration_filter', () => {
    const v0 = w.concat(w.compactArray(w.compactString('Ongoing')), w.compactArray(w.int64(4_000)), NO_TAGS);
    const value = { stateFilters: ['Ongoing'], producerIdFilters: [4_000], durationFilter: -1 };
    expectRequestWire(ListTransactions, 0, value, v0);
    const v1 = w.concat(w.compactArray(), w.compactArray(), w.int64(30_000), NO_TAGS);
    expectRequestWire(
      ListTransactions,
      1,
      { stateFilters: [], producerIdFilters: [], durationFilter: 30_000 },
      v1,
    );
  });

  it('ListTransactions v1 response: throttle_time_ms error_code [unknown_state_filters] [transaction_states]', () => {
    const value: ResponseOf<typeof ListTransactions> = {
      throttleTimeMs: 0,
      errorCode: 0,
      unknownStateFilters: ['Sleeping'],
      transactionStates: [{ transactionalId: 'tx-1', producerId: 4_000, transactionState: 'Ongoing' }],
    };
    const wire = w.concat(
      w.int32(0),
      w.int16(0),
      w.compactArray(w.compactString('Sleeping')),
      w.compactArray(w.concat(w.compactString('tx-1'), w.int64(4_000), w.compactString('Ongoing'), NO_TAGS)),
      NO_TAGS,
    );
    expectResponseWire(ListTransactions, 1, value, wire);
  });
});
