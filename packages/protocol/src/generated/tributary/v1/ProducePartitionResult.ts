// Original file: protos/tributary/v1/broker.proto

import type { Long } from '@grpc/proto-loader';

export interface ProducePartitionResult {
  'topic'?: (string);
  'partition'?: (number);
  'errorCode'?: (string);
  'errorMessage'?: (string);
  /**
   * The offset assigned to the first record of the first batch; -1 on error.
   */
  'baseOffset'?: (number | string | Long);
  'logStartOffset'?: (number | string | Long);
  /**
   * NOT_LEADER: the leader this broker knows of (-1 none) and its epoch.
   */
  'leaderId'?: (number);
  'leaderEpoch'?: (number);
}

export interface ProducePartitionResult__Output {
  'topic': (string);
  'partition': (number);
  'errorCode': (string);
  'errorMessage': (string);
  /**
   * The offset assigned to the first record of the first batch; -1 on error.
   */
  'baseOffset': (number);
  'logStartOffset': (number);
  /**
   * NOT_LEADER: the leader this broker knows of (-1 none) and its epoch.
   */
  'leaderId': (number);
  'leaderEpoch': (number);
}
