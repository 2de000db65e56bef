// Original file: protos/tributary/v1/group.proto

import type { TopicPartitions as _tributary_v1_TopicPartitions, TopicPartitions__Output as _tributary_v1_TopicPartitions__Output } from '../../tributary/v1/TopicPartitions.js';

export interface OffsetFetchRequest {
  'groupId'?: (string);
  /**
   * Empty: every committed offset of the group.
   */
  'topics'?: (_tributary_v1_TopicPartitions)[];
}

export interface OffsetFetchRequest__Output {
  'groupId': (string);
  /**
   * Empty: every committed offset of the group.
   */
  'topics': (_tributary_v1_TopicPartitions__Output)[];
}
