// Original file: protos/tributary/v1/broker.proto

import type { Long } from '@grpc/proto-loader';

export interface DeleteRecordsPartition {
  'partition'?: (number);
  /**
   * The new log start offset: every record below it is deleted. -1 = the high watermark.
   */
  'offset'?: (number | string | Long);
}

export interface DeleteRecordsPartition__Output {
  'partition': (number);
  /**
   * The new log start offset: every record below it is deleted. -1 = the high watermark.
   */
  'offset': (number);
}
