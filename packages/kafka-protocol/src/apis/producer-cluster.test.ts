/**
 * InitProducerId, DeleteRecords and DescribeCluster against the protocol guide's BNF: each expected
 * body is spelled out field by field (testing/wire-bytes.ts), at the lowest and the highest version.
 */
import { describe, it } from 'vitest';
import type { RequestOf, ResponseOf } from '../api.js';
import {
  array,
  bool,
  compactArray,
  compactString,
  concat,
  int8,
  int16,
  int32,
  int64,
  NO_TAGS,
  string,
} from '../testing/wire-bytes.js';
import { expectRequestWire, expectResponseWire } from '../testing/wire-check.js';
import { DeleteRecords } from './delete-records.js';
import { DescribeCluster } from './describe-cluster.js';
import { InitProducerId } from './init-producer-id.js';

describe('InitProducerId', () => {
  it('v0 request: transactional_id transaction_timeout_ms (null id: an idempotent producer)', () => {
    const value: RequestOf<typeof InitProducerId> = {
      transactionalId: null,
      transactionTimeoutMs: 60_000,
      producerId: -1,
      producerEpoch: -1,
    };
    expectRequestWire(InitProducerId, 0, value, concat(string(null), int32(60_000)));
  });

  it('v0 response: throttle_time_ms error_code producer_id producer_epoch', () => {
    const value: ResponseOf<typeof InitProducerId> = {
      throttleTimeMs: 0,
      errorCode: 0,
      producerId: 1_000,
      producerEpoch: 0,
    };
    expectResponseWire(InitProducerId, 0, value, concat(int32(0), int16(0), int64(1_000), int16(0)));
  });

  it('v4 request: producer_id and producer_epoch (v3+, KIP-360), compact and tagged', () => {
    const value: RequestOf<typeof InitProducerId> = {
      transactionalId: 'tx-1',
      transactionTimeoutMs: 60_000,
      producerId: 1_000,
      producerEpoch: 2,
    };
    const wire = concat(compactString('tx-1'), int32(60_000), int64(1_000), int16(2), NO_TAGS);
    expectRequestWire(InitProducerId, 4, value, wire);
  });

  it('v4 response: the v0 fields and a tag buffer', () => {
    const value: ResponseOf<typeof InitProducerId> = {
      throttleTimeMs: 3,
      errorCode: 90,
      producerId: -1,
      producerEpoch: -1,
    };
    expectResponseWire(InitProducerId, 4, value, concat(int32(3), int16(90), int64(-1), int16(-1), NO_TAGS));
  });
});

describe('DeleteRecords', () => {
  it('v0 request: [topics => name [partitions => partition_index offset]] timeout_ms', () => {
    const value: RequestOf<typeof DeleteRecords> = {
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, offset: 50 }] }],
      timeoutMs: 30_000,
    };
    const wire = concat(array(concat(string('orders'), array(concat(int32(0), int64(50))))), int32(30_000));
    expectRequestWire(DeleteRecords, 0, value, wire);
  });

  it('v0 response: throttle_time_ms [topics => name [partitions => partition_index low_watermark error_code]]', () => {
    const value: ResponseOf<typeof DeleteRecords> = {
      throttleTimeMs: 0,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, lowWatermark: 50, errorCode: 0 }] }],
    };
    const wire = concat(
      int32(0),
      array(concat(string('orders'), array(concat(int32(0), int64(50), int16(0))))),
    );
    expectResponseWire(DeleteRecords, 0, value, wire);
  });

  it('v2 request and response: compact and tagged', () => {
    const request: RequestOf<typeof DeleteRecords> = {
      topics: [{ name: 't', partitions: [{ partitionIndex: 1, offset: -1 }] }],
      timeoutMs: 1_000,
    };
    const requestWire = concat(
      compactArray(concat(compactString('t'), compactArray(concat(int32(1), int64(-1), NO_TAGS)), NO_TAGS)),
      int32(1_000),
      NO_TAGS,
    );
    expectRequestWire(DeleteRecords, 2, request, requestWire);
    const response: ResponseOf<typeof DeleteRecords> = {
      throttleTimeMs: 0,
      topics: [{ name: 't', partitions: [{ partitionIndex: 1, lowWatermark: 12, errorCode: 0 }] }],
    };
    const responseWire = concat(
      int32(0),
      compactArray(
        concat(compactString('t'), compactArray(concat(int32(1), int64(12), int16(0), NO_TAGS)), NO_TAGS),
      ),
      NO_TAGS,
    );
    expectResponseWire(DeleteRecords, 2, response, responseWire);
  });
});

describe('DescribeCluster (flexible in every version)', () => {
  it('v0 request: include_cluster_authorized_operations', () => {
    const value: RequestOf<typeof DescribeCluster> = {
      includeClusterAuthorizedOperations: true,
      endpointType: 1,
    };
    expectRequestWire(DescribeCluster, 0, value, concat(bool(true), NO_TAGS));
  });

  it('v1 request: endpoint_type (KIP-919)', () => {
    const value: RequestOf<typeof DescribeCluster> = {
      includeClusterAuthorizedOperations: false,
      endpointType: 2,
    };
    expectRequestWire(DescribeCluster, 1, value, concat(bool(false), int8(2), NO_TAGS));
  });

  const brokers = [{ brokerId: 1, host: 'localhost', port: 9094, rack: 'rack-a' }];
  const brokersWire = compactArray(
    concat(int32(1), compactString('localhost'), int32(9094), compactString('rack-a'), NO_TAGS),
  );

  it('v0 response: throttle_time_ms error_code error_message cluster_id controller_id [brokers] cluster_authorized_operations', () => {
    const value: ResponseOf<typeof DescribeCluster> = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      endpointType: 1,
      clusterId: 'abc',
      controllerId: 1,
      brokers,
      clusterAuthorizedOperations: -2_147_483_648,
    };
    const wire = concat(
      int32(0),
      int16(0),
      compactString(null),
      compactString('abc'),
      int32(1),
      brokersWire,
      int32(-2_147_483_648),
      NO_TAGS,
    );
    expectResponseWire(DescribeCluster, 0, value, wire);
  });

  it('v1 response: endpoint_type after error_message', () => {
    const value: ResponseOf<typeof DescribeCluster> = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      endpointType: 1,
      clusterId: 'abc',
      controllerId: 1,
      brokers,
      clusterAuthorizedOperations: 0,
    };
    const wire = concat(
      int32(0),
      int16(0),
      compactString(null),
      int8(1),
      compactString('abc'),
      int32(1),
      brokersWire,
      int32(0),
      NO_TAGS,
    );
    expectResponseWire(DescribeCluster, 1, value, wire);
  });
});
