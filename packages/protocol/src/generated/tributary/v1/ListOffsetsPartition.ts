// Original file: protos/tributary/v1/broker.proto

import type { Long } from '@grpc/proto-loader';

export interface ListOffsetsPartition {
  'partition'?: (number);
  /**
   * -1 = latest (the high watermark), -2 = earliest (log start), otherwise a timestamp in ms: the first
   * offset whose timestamp is at or after it.
   */
  'timestamp'?: (number | string | Long);
}

export interface ListOffsetsPartition__Output {
  'partition': (number);
  /**
   * -1 = latest (the high watermark), -2 = earliest (log start), otherwise a timestamp in ms: the first
   * offset whose timestamp is at or after it.
   */
  'timestamp': (number);
}
