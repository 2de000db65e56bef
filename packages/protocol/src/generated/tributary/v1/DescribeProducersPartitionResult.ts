// Original file: protos/tributary/v1/broker.proto

import type { ActiveProducer as _tributary_v1_ActiveProducer, ActiveProducer__Output as _tributary_v1_ActiveProducer__Output } from '../../tributary/v1/ActiveProducer.js';

export interface DescribeProducersPartitionResult {
  'topic'?: (string);
  'partition'?: (number);
  /**
   * Empty on success; NOT_LEADER (this broker does not lead it), UNKNOWN_TOPIC_OR_PARTITION (not hosted
   * here), TOPIC_AUTHORIZATION_FAILED (the caller may not Read the topic).
   */
  'errorCode'?: (string);
  'errorMessage'?: (string);
  /**
   * Sorted by producer id; empty on error.
   */
  'activeProducers'?: (_tributary_v1_ActiveProducer)[];
}

export interface DescribeProducersPartitionResult__Output {
  'topic': (string);
  'partition': (number);
  /**
   * Empty on success; NOT_LEADER (this broker does not lead it), UNKNOWN_TOPIC_OR_PARTITION (not hosted
   * here), TOPIC_AUTHORIZATION_FAILED (the caller may not Read the topic).
   */
  'errorCode': (string);
  'errorMessage': (string);
  /**
   * Sorted by producer id; empty on error.
   */
  'activeProducers': (_tributary_v1_ActiveProducer__Output)[];
}
