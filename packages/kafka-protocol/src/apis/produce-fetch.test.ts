/**
 * Produce and Fetch against the protocol guide's BNF: each expected body is spelled out field by
 * field with the hand-written primitives of testing/wire-bytes.ts, at a classic and a flexible version.
 */
import { describe, it } from 'vitest';
import type { RequestOf, ResponseOf } from '../api.js';
import {
  array,
  bytes,
  COMPACT_NULL_ARRAY,
  compactArray,
  compactBytes,
  compactString,
  concat,
  int8,
  int16,
  int32,
  int64,
  NO_TAGS,
  string,
  tagBuffer,
  uuid,
} from '../testing/wire-bytes.js';
import { expectRequestWire, expectResponseWire } from '../testing/wire-check.js';
import { Fetch } from './fetch.js';
import { Produce } from './produce.js';

/** Stands in for a record batch: the codec carries RECORDS as opaque bytes. */
const BATCH = Buffer.from('not-a-real-batch');
const NO_LEADER = { leaderId: -1, leaderEpoch: -1 };
const NO_EPOCH_END = { epoch: -1, endOffset: -1 };
const NO_SNAPSHOT = { endOffset: -1, epoch: -1 };

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

describe('Produce', () => {
  it('v3 request: transactional_id acks timeout_ms [topic_data => name [partition_data => index records]]', () => {
    const value: RequestOf<typeof Produce> = {
      transactionalId: null,
      acks: -1,
      timeoutMs: 30_000,
      topicData: [{ name: 'orders', partitionData: [{ index: 0, records: BATCH }] }],
    };
    const wire = concat(
      string(null),
      int16(-1),
      int32(30_000),
      array(concat(string('orders'), array(concat(int32(0), bytes(BATCH))))),
    );
    expectRequestWire(Produce, 3, value, wire);
  });

  it('v0 request has no transactional_id', () => {
    const value: RequestOf<typeof Produce> = {
      transactionalId: null,
      acks: 1,
      timeoutMs: 1_500,
      topicData: [{ name: 't', partitionData: [{ index: 2, records: BATCH }] }],
    };
    const wire = concat(
      int16(1),
      int32(1_500),
      array(concat(string('t'), array(concat(int32(2), bytes(BATCH))))),
    );
    expectRequestWire(Produce, 0, value, wire);
  });

  it('v11 request: compact strings, arrays and records, a tag buffer closing every struct', () => {
    const value: RequestOf<typeof Produce> = {
      transactionalId: 'tx-1',
      acks: -1,
      timeoutMs: 5_000,
      topicData: [{ name: 'orders', partitionData: [{ index: 3, records: null }] }],
    };
    const wire = concat(
      compactString('tx-1'),
      int16(-1),
      int32(5_000),
      compactArray(
        concat(compactString('orders'), compactArray(concat(int32(3), compactBytes(null), NO_TAGS)), NO_TAGS),
      ),
      NO_TAGS,
    );
    expectRequestWire(Produce, 11, value, wire);
  });

  it('v2 response: [responses => name [partition_responses => index error_code base_offset log_append_time_ms]] throttle_time_ms', () => {
    const value: ResponseOf<typeof Produce> = {
      responses: [
        {
          name: 'orders',
          partitionResponses: [
            {
              index: 0,
              errorCode: 0,
              baseOffset: 42,
              logAppendTimeMs: -1,
              logStartOffset: -1,
              recordErrors: [],
              errorMessage: null,
              currentLeader: NO_LEADER,
            },
          ],
        },
      ],
      throttleTimeMs: 7,
      nodeEndpoints: [],
    };
    const partition = concat(int32(0), int16(0), int64(42), int64(-1));
    const wire = concat(array(concat(string('orders'), array(partition))), int32(7));
    expectResponseWire(Produce, 2, value, wire);
  });

  it('v10 response: record errors (KIP-467), then CurrentLeader (tag 0) and NodeEndpoints (tag 0) (KIP-951)', () => {
    const value: ResponseOf<typeof Produce> = {
      responses: [
        {
          name: 'orders',
          partitionResponses: [
            {
              index: 1,
              errorCode: 6,
              baseOffset: -1,
              logAppendTimeMs: -1,
              logStartOffset: 0,
              recordErrors: [{ batchIndex: 4, batchIndexErrorMessage: 'bad key' }],
              errorMessage: 'not the leader',
              currentLeader: { leaderId: 2, leaderEpoch: 7 },
            },
          ],
        },
      ],
      throttleTimeMs: 0,
      nodeEndpoints: [{ nodeId: 2, host: 'b2', port: 9094, rack: null }],
    };
    const partition = concat(
      int32(1),
      int16(6),
      int64(-1),
      int64(-1),
      int64(0),
      compactArray(concat(int32(4), compactString('bad key'), NO_TAGS)),
      compactString('not the leader'),
      tagBuffer([0, concat(int32(2), int32(7), NO_TAGS)]),
    );
    const endpoint = concat(int32(2), compactString('b2'), int32(9094), compactString(null), NO_TAGS);
    const wire = concat(
      compactArray(concat(compactString('orders'), compactArray(partition), NO_TAGS)),
      int32(0),
      tagBuffer([0, compactArray(endpoint)]),
    );
    expectResponseWire(Produce, 10, value, wire);
  });
});

describe('Fetch', () => {
  it('v4 request: replica_id max_wait_ms min_bytes max_bytes isolation_level [topics => topic [partitions]]', () => {
    const value: RequestOf<typeof Fetch> = {
      clusterId: null,
      replicaId: -1,
      replicaState: { replicaId: -1, replicaEpoch: -1 },
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 1_048_576,
      isolationLevel: 1,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: 'orders',
          topicId: ZERO_UUID,
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: -1,
              fetchOffset: 100,
              lastFetchedEpoch: -1,
              logStartOffset: -1,
              partitionMaxBytes: 65_536,
              replicaDirectoryId: ZERO_UUID,
            },
          ],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    };
    const partition = concat(int32(0), int64(100), int32(65_536));
    const wire = concat(
      int32(-1),
      int32(500),
      int32(1),
      int32(1_048_576),
      int8(1),
      array(concat(string('orders'), array(partition))),
    );
    expectRequestWire(Fetch, 4, value, wire);
  });

  it('v12 request: sessions, leader epochs, forgotten topics, rack id and the ClusterId tag', () => {
    const value: RequestOf<typeof Fetch> = {
      clusterId: 'cluster-1',
      replicaId: -1,
      replicaState: { replicaId: -1, replicaEpoch: -1 },
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 52_428_800,
      isolationLevel: 0,
      sessionId: 12,
      sessionEpoch: 3,
      topics: [
        {
          topic: 't',
          topicId: ZERO_UUID,
          partitions: [
            {
              partition: 1,
              currentLeaderEpoch: 5,
              fetchOffset: 7,
              lastFetchedEpoch: 4,
              logStartOffset: -1,
              partitionMaxBytes: 1_024,
              replicaDirectoryId: ZERO_UUID,
            },
          ],
        },
      ],
      forgottenTopicsData: [{ topic: 'old', topicId: ZERO_UUID, partitions: [3, 4] }],
      rackId: 'rack-a',
    };
    const partition = concat(int32(1), int32(5), int64(7), int32(4), int64(-1), int32(1_024), NO_TAGS);
    const wire = concat(
      int32(-1),
      int32(500),
      int32(1),
      int32(52_428_800),
      int8(0),
      int32(12),
      int32(3),
      compactArray(concat(compactString('t'), compactArray(partition), NO_TAGS)),
      compactArray(concat(compactString('old'), compactArray(int32(3), int32(4)), NO_TAGS)),
      compactString('rack-a'),
      tagBuffer([0, compactString('cluster-1')]),
    );
    expectRequestWire(Fetch, 12, value, wire);
  });

  it('v4 response: throttle_time_ms [responses => topic [partitions => ... [aborted_transactions] records]]', () => {
    const value: ResponseOf<typeof Fetch> = {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      nodeEndpoints: [],
      responses: [
        {
          topic: 'orders',
          topicId: ZERO_UUID,
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              highWatermark: 120,
              lastStableOffset: 118,
              logStartOffset: -1,
              divergingEpoch: NO_EPOCH_END,
              currentLeader: NO_LEADER,
              snapshotId: NO_SNAPSHOT,
              abortedTransactions: [{ producerId: 1_000, firstOffset: 110 }],
              preferredReadReplica: -1,
              records: BATCH,
            },
          ],
        },
      ],
    };
    const partition = concat(
      int32(0),
      int16(0),
      int64(120),
      int64(118),
      array(concat(int64(1_000), int64(110))),
      bytes(BATCH),
    );
    const wire = concat(int32(0), array(concat(string('orders'), array(partition))));
    expectResponseWire(Fetch, 4, value, wire);
  });

  it('v12 response: DivergingEpoch, CurrentLeader and SnapshotId as tags 0, 1, 2 after the untagged fields', () => {
    const value: ResponseOf<typeof Fetch> = {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 9,
      nodeEndpoints: [],
      responses: [
        {
          topic: 't',
          topicId: ZERO_UUID,
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              highWatermark: 10,
              lastStableOffset: 10,
              logStartOffset: 0,
              divergingEpoch: { epoch: 3, endOffset: 8 },
              currentLeader: { leaderId: 1, leaderEpoch: 4 },
              snapshotId: { endOffset: 5, epoch: 2 },
              abortedTransactions: null,
              preferredReadReplica: 2,
              records: null,
            },
          ],
        },
      ],
    };
    const partition = concat(
      int32(0),
      int16(0),
      int64(10),
      int64(10),
      int64(0),
      COMPACT_NULL_ARRAY, // abortedTransactions
      int32(2),
      compactBytes(null),
      tagBuffer(
        [0, concat(int32(3), int64(8), NO_TAGS)],
        [1, concat(int32(1), int32(4), NO_TAGS)],
        [2, concat(int64(5), int32(2), NO_TAGS)],
      ),
    );
    const wire = concat(
      int32(0),
      int16(0),
      int32(9),
      compactArray(concat(compactString('t'), compactArray(partition), NO_TAGS)),
      NO_TAGS,
    );
    expectResponseWire(Fetch, 12, value, wire);
  });

  it('v15 request: topics by id (KIP-516), ReplicaState as tag 1 instead of ReplicaId (KIP-903)', () => {
    const topicId = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
    const value: RequestOf<typeof Fetch> = {
      clusterId: null,
      replicaId: -1,
      replicaState: { replicaId: 7, replicaEpoch: 9 },
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 1_024,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: '',
          topicId,
          partitions: [
            {
              partition: 2,
              currentLeaderEpoch: 1,
              fetchOffset: 3,
              lastFetchedEpoch: -1,
              logStartOffset: -1,
              partitionMaxBytes: 512,
              replicaDirectoryId: ZERO_UUID,
            },
          ],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    };
    const partition = concat(int32(2), int32(1), int64(3), int32(-1), int64(-1), int32(512), NO_TAGS);
    const wire = concat(
      int32(500),
      int32(1),
      int32(1_024),
      int8(0),
      int32(0),
      int32(-1),
      compactArray(concat(uuid(topicId), compactArray(partition), NO_TAGS)),
      compactArray(),
      compactString(''),
      tagBuffer([1, concat(int32(7), int64(9), NO_TAGS)]),
    );
    expectRequestWire(Fetch, 15, value, wire);
  });

  it('v16 response: topic ids and the NodeEndpoints tag (KIP-951)', () => {
    const topicId = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
    const value: ResponseOf<typeof Fetch> = {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      nodeEndpoints: [{ nodeId: 2, host: 'h', port: 9094, rack: null }],
      responses: [
        {
          topic: '',
          topicId,
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 6,
              highWatermark: -1,
              lastStableOffset: -1,
              logStartOffset: -1,
              divergingEpoch: NO_EPOCH_END,
              currentLeader: { leaderId: 2, leaderEpoch: 5 },
              snapshotId: NO_SNAPSHOT,
              abortedTransactions: null,
              preferredReadReplica: -1,
              records: null,
            },
          ],
        },
      ],
    };
    const partition = concat(
      int32(0),
      int16(6),
      int64(-1),
      int64(-1),
      int64(-1),
      COMPACT_NULL_ARRAY,
      int32(-1),
      compactBytes(null),
      tagBuffer([1, concat(int32(2), int32(5), NO_TAGS)]),
    );
    const endpoint = concat(int32(2), compactString('h'), int32(9094), compactString(null), NO_TAGS);
    const wire = concat(
      int32(0),
      int16(0),
      int32(0),
      compactArray(concat(uuid(topicId), compactArray(partition), NO_TAGS)),
      tagBuffer([0, compactArray(endpoint)]),
    );
    expectResponseWire(Fetch, 16, value, wire);
  });
});
