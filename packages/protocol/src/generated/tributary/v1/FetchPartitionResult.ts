// Original file: protos/tributary/v1/broker.proto

import type { Long } from '@grpc/proto-loader';

export interface FetchPartitionResult {
  'topic'?: (string);
  'partition'?: (number);
  'errorCode'?: (string);
  'errorMessage'?: (string);
  'highWatermark'?: (number | string | Long);
  'logStartOffset'?: (number | string | Long);
  /**
   * Whole batches starting at or before fetch_offset (the client skips records below it).
   */
  'records'?: (Buffer | Uint8Array | string);
  'leaderId'?: (number);
  'leaderEpoch'?: (number);
}

export interface FetchPartitionResult__Output {
  'topic': (string);
  'partition': (number);
  'errorCode': (string);
  'errorMessage': (string);
  'highWatermark': (number);
  'logStartOffset': (number);
  /**
   * Whole batches starting at or before fetch_offset (the client skips records below it).
   */
  'records': (Buffer);
  'leaderId': (number);
  'leaderEpoch': (number);
}
