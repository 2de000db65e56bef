/**
 * ListOffsets, Metadata and OffsetForLeaderEpoch against the protocol guide's BNF: each expected body
 * is spelled out field by field (testing/wire-bytes.ts), at the lowest and the highest version.
 */
import { describe, it } from 'vitest';
import type { RequestOf, ResponseOf } from '../api.js';
import {
  array,
  bool,
  COMPACT_NULL_ARRAY,
  compactArray,
  compactString,
  concat,
  int8,
  int16,
  int32,
  int64,
  NO_TAGS,
  NULL_ARRAY,
  string,
  uuid,
} from '../testing/wire-bytes.js';
import { expectRequestWire, expectResponseWire } from '../testing/wire-check.js';
import { ListOffsets } from './list-offsets.js';
import { Metadata } from './metadata.js';
import { OffsetForLeaderEpoch } from './offset-for-leader-epoch.js';

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
const TOPIC_ID = '6e1a4c2d-9b0f-4d7e-8a31-52c4f0b9d713';
const AUTHORIZED_OPERATIONS_OMITTED = -2_147_483_648;

describe('ListOffsets', () => {
  it('v0 request: replica_id [topics => name [partitions => partition_index timestamp max_num_offsets]]', () => {
    const value: RequestOf<typeof ListOffsets> = {
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        {
          name: 'orders',
          partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1, maxNumOffsets: 5 }],
        },
      ],
    };
    const wire = concat(
      int32(-1),
      array(concat(string('orders'), array(concat(int32(0), int64(-1), int32(5))))),
    );
    expectRequestWire(ListOffsets, 0, value, wire);
  });

  it('v0 response: the old-style array of offsets per partition', () => {
    const value: ResponseOf<typeof ListOffsets> = {
      throttleTimeMs: 0,
      topics: [
        {
          name: 'orders',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              oldStyleOffsets: [42, 0],
              timestamp: -1,
              offset: -1,
              leaderEpoch: -1,
            },
          ],
        },
      ],
    };
    const partition = concat(int32(0), int16(0), array(int64(42), int64(0)));
    expectResponseWire(ListOffsets, 0, value, concat(array(concat(string('orders'), array(partition)))));
  });

  it('v7 request: isolation level, current leader epoch, compact and tagged', () => {
    const value: RequestOf<typeof ListOffsets> = {
      replicaId: -1,
      isolationLevel: 1,
      topics: [
        {
          name: 't',
          partitions: [{ partitionIndex: 2, currentLeaderEpoch: 3, timestamp: -3, maxNumOffsets: 1 }],
        },
      ],
    };
    const partition = concat(int32(2), int32(3), int64(-3), NO_TAGS);
    const wire = concat(
      int32(-1),
      int8(1),
      compactArray(concat(compactString('t'), compactArray(partition), NO_TAGS)),
      NO_TAGS,
    );
    expectRequestWire(ListOffsets, 7, value, wire);
  });

  it('v7 response: throttle_time_ms [topics => name [partitions => ... timestamp offset leader_epoch]]', () => {
    const value: ResponseOf<typeof ListOffsets> = {
      throttleTimeMs: 0,
      topics: [
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 2,
              errorCode: 0,
              oldStyleOffsets: [],
              timestamp: 1_700_000_000_000,
              offset: 41,
              leaderEpoch: 3,
            },
          ],
        },
      ],
    };
    const partition = concat(int32(2), int16(0), int64(1_700_000_000_000), int64(41), int32(3), NO_TAGS);
    const wire = concat(
      int32(0),
      compactArray(concat(compactString('t'), compactArray(partition), NO_TAGS)),
      NO_TAGS,
    );
    expectResponseWire(ListOffsets, 7, value, wire);
  });
});

describe('Metadata', () => {
  const defaults = {
    allowAutoTopicCreation: true,
    includeClusterAuthorizedOperations: false,
    includeTopicAuthorizedOperations: false,
  };

  it('v0 request: [topics => name]; an empty array asks for every topic', () => {
    const named: RequestOf<typeof Metadata> = {
      topics: [{ topicId: ZERO_UUID, name: 'orders' }],
      ...defaults,
    };
    expectRequestWire(Metadata, 0, named, array(string('orders')));
    expectRequestWire(Metadata, 0, { topics: [], ...defaults }, array());
  });

  it('v1 request: a null topic array asks for every topic', () => {
    expectRequestWire(Metadata, 1, { topics: null, ...defaults }, NULL_ARRAY);
  });

  it('v0 response: [brokers => node_id host port] [topics => error_code name [partitions]]', () => {
    const value: ResponseOf<typeof Metadata> = {
      throttleTimeMs: 0,
      brokers: [{ nodeId: 1, host: 'localhost', port: 9094, rack: null }],
      clusterId: null,
      controllerId: -1,
      topics: [
        {
          errorCode: 0,
          name: 'orders',
          topicId: ZERO_UUID,
          isInternal: false,
          partitions: [
            {
              errorCode: 0,
              partitionIndex: 0,
              leaderId: 1,
              leaderEpoch: -1,
              replicaNodes: [1],
              isrNodes: [1],
              offlineReplicas: [],
            },
          ],
          topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
        },
      ],
      clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    };
    const partition = concat(int16(0), int32(0), int32(1), array(int32(1)), array(int32(1)));
    const wire = concat(
      array(concat(int32(1), string('localhost'), int32(9094))),
      array(concat(int16(0), string('orders'), array(partition))),
    );
    expectResponseWire(Metadata, 0, value, wire);
  });

  it('v12 request: topics by id with a null name, no IncludeClusterAuthorizedOperations (v11+)', () => {
    const value: RequestOf<typeof Metadata> = {
      topics: [{ topicId: TOPIC_ID, name: null }],
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: true,
    };
    const wire = concat(
      compactArray(concat(uuid(TOPIC_ID), compactString(null), NO_TAGS)),
      bool(false),
      bool(true),
      NO_TAGS,
    );
    expectRequestWire(Metadata, 12, value, wire);
    expectRequestWire(
      Metadata,
      12,
      { ...value, topics: null },
      concat(COMPACT_NULL_ARRAY, bool(false), bool(true), NO_TAGS),
    );
  });

  it('v12 response: topic id, nullable topic name, no ClusterAuthorizedOperations (v11+)', () => {
    const value: ResponseOf<typeof Metadata> = {
      throttleTimeMs: 0,
      brokers: [{ nodeId: 1, host: 'localhost', port: 9094, rack: null }],
      clusterId: 'abc',
      controllerId: 1,
      topics: [
        {
          errorCode: 0,
          name: null,
          topicId: TOPIC_ID,
          isInternal: false,
          partitions: [
            {
              errorCode: 0,
              partitionIndex: 0,
              leaderId: 1,
              leaderEpoch: 0,
              replicaNodes: [1],
              isrNodes: [1],
              offlineReplicas: [],
            },
          ],
          topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
        },
      ],
      clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    };
    const broker = concat(int32(1), compactString('localhost'), int32(9094), compactString(null), NO_TAGS);
    const partition = concat(
      int16(0),
      int32(0),
      int32(1),
      int32(0),
      compactArray(int32(1)),
      compactArray(int32(1)),
      compactArray(),
      NO_TAGS,
    );
    const topic = concat(
      int16(0),
      compactString(null),
      uuid(TOPIC_ID),
      bool(false),
      compactArray(partition),
      int32(AUTHORIZED_OPERATIONS_OMITTED),
      NO_TAGS,
    );
    const wire = concat(
      int32(0),
      compactArray(broker),
      compactString('abc'),
      int32(1),
      compactArray(topic),
      NO_TAGS,
    );
    expectResponseWire(Metadata, 12, value, wire);
  });
});

describe('OffsetForLeaderEpoch', () => {
  it('v0 request: [topics => topic [partitions => partition leader_epoch]]', () => {
    const value: RequestOf<typeof OffsetForLeaderEpoch> = {
      replicaId: -2,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 3 }] }],
    };
    expectRequestWire(
      OffsetForLeaderEpoch,
      0,
      value,
      array(concat(string('orders'), array(concat(int32(0), int32(3))))),
    );
  });

  it('v0 response: [topics => topic [partitions => error_code partition end_offset]]', () => {
    const value: ResponseOf<typeof OffsetForLeaderEpoch> = {
      throttleTimeMs: 0,
      topics: [
        { topic: 'orders', partitions: [{ errorCode: 0, partition: 0, leaderEpoch: -1, endOffset: 100 }] },
      ],
    };
    const wire = array(concat(string('orders'), array(concat(int16(0), int32(0), int64(100)))));
    expectResponseWire(OffsetForLeaderEpoch, 0, value, wire);
  });

  it('v4 request: replica_id, current_leader_epoch, compact and tagged', () => {
    const value: RequestOf<typeof OffsetForLeaderEpoch> = {
      replicaId: 1,
      topics: [{ topic: 't', partitions: [{ partition: 0, currentLeaderEpoch: 5, leaderEpoch: 4 }] }],
    };
    const partition = concat(int32(0), int32(5), int32(4), NO_TAGS);
    const wire = concat(
      int32(1),
      compactArray(concat(compactString('t'), compactArray(partition), NO_TAGS)),
      NO_TAGS,
    );
    expectRequestWire(OffsetForLeaderEpoch, 4, value, wire);
  });

  it('v4 response: throttle_time_ms [topics => topic [partitions => error_code partition leader_epoch end_offset]]', () => {
    const value: ResponseOf<typeof OffsetForLeaderEpoch> = {
      throttleTimeMs: 0,
      topics: [{ topic: 't', partitions: [{ errorCode: 0, partition: 0, leaderEpoch: 4, endOffset: 99 }] }],
    };
    const partition = concat(int16(0), int32(0), int32(4), int64(99), NO_TAGS);
    const wire = concat(
      int32(0),
      compactArray(concat(compactString('t'), compactArray(partition), NO_TAGS)),
      NO_TAGS,
    );
    expectResponseWire(OffsetForLeaderEpoch, 4, value, wire);
  });
});
