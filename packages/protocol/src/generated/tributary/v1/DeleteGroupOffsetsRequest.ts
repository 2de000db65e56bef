// Original file: protos/tributary/v1/group.proto

import type { TopicPartitions as _tributary_v1_TopicPartitions, TopicPartitions__Output as _tributary_v1_TopicPartitions__Output } from '../../tributary/v1/TopicPartitions.js';

export interface DeleteGroupOffsetsRequest {
  'groupId'?: (string);
  /**
   * Empty: every committed offset of the group (the group is forgotten).
   */
  'topics'?: (_tributary_v1_TopicPartitions)[];
}

export interface DeleteGroupOffsetsRequest__Output {
  'groupId': (string);
  /**
   * Empty: every committed offset of the group (the group is forgotten).
   */
  'topics': (_tributary_v1_TopicPartitions__Output)[];
}
