// Original file: protos/tributary/v1/broker.proto

import type { Long } from '@grpc/proto-loader';

export interface ListOffsetsPartitionResult {
  'topic'?: (string);
  'partition'?: (number);
  'errorCode'?: (string);
  'errorMessage'?: (string);
  /**
   * -1 when no offset matches the timestamp.
   */
  'offset'?: (number | string | Long);
  'timestamp'?: (number | string | Long);
  'leaderEpoch'?: (number);
}

export interface ListOffsetsPartitionResult__Output {
  'topic': (string);
  'partition': (number);
  'errorCode': (string);
  'errorMessage': (string);
  /**
   * -1 when no offset matches the timestamp.
   */
  'offset': (number);
  'timestamp': (number);
  'leaderEpoch': (number);
}
