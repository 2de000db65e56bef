// Original file: protos/tributary/v1/broker.proto

import type { Long } from '@grpc/proto-loader';

export interface DeleteRecordsPartitionResult {
  'topic'?: (string);
  'partition'?: (number);
  /**
   * OFFSET_OUT_OF_RANGE past the high watermark; NOT_LEADER; UNKNOWN_TOPIC_OR_PARTITION; REQUEST_TIMED_OUT.
   */
  'errorCode'?: (string);
  'errorMessage'?: (string);
  /**
   * The log start offset after the request (Kafka's low watermark); -1 on error.
   */
  'lowWatermark'?: (number | string | Long);
  /**
   * NOT_LEADER: the leader this broker knows of (-1 none) and its epoch.
   */
  'leaderId'?: (number);
  'leaderEpoch'?: (number);
}

export interface DeleteRecordsPartitionResult__Output {
  'topic': (string);
  'partition': (number);
  /**
   * OFFSET_OUT_OF_RANGE past the high watermark; NOT_LEADER; UNKNOWN_TOPIC_OR_PARTITION; REQUEST_TIMED_OUT.
   */
  'errorCode': (string);
  'errorMessage': (string);
  /**
   * The log start offset after the request (Kafka's low watermark); -1 on error.
   */
  'lowWatermark': (number);
  /**
   * NOT_LEADER: the leader this broker knows of (-1 none) and its epoch.
   */
  'leaderId': (number);
  'leaderEpoch': (number);
}
