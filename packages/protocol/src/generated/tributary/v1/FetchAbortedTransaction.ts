// Original file: protos/tributary/v1/broker.proto

import type { Long } from '@grpc/proto-loader';

/**
 * An aborted transaction overlapping a read_committed fetch: drop this producer's transactional records
 * from first_offset on until its ABORT marker (Kafka's FetchResponse AbortedTransaction).
 */
export interface FetchAbortedTransaction {
  'producerId'?: (number | string | Long);
  'firstOffset'?: (number | string | Long);
}

/**
 * An aborted transaction overlapping a read_committed fetch: drop this producer's transactional records
 * from first_offset on until its ABORT marker (Kafka's FetchResponse AbortedTransaction).
 */
export interface FetchAbortedTransaction__Output {
  'producerId': (number);
  'firstOffset': (number);
}
