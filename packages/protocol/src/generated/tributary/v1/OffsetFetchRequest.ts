// Original file: protos/tributary/v1/group.proto

import type { TopicPartitions as _tributary_v1_TopicPartitions, TopicPartitions__Output as _tributary_v1_TopicPartitions__Output } from '../../tributary/v1/TopicPartitions.js';

export interface OffsetFetchRequest {
  'groupId'?: (string);
  /**
   * Empty: every committed offset of the group.
   */
  'topics'?: (_tributary_v1_TopicPartitions)[];
  /**
   * KIP-447: answer UNSTABLE_OFFSET_COMMIT (retriable) while a transaction's offset commit for one of the
   * asked partitions (all of the group's, when none is named) awaits its marker, rather than the offset
   * committed before it. A transactional consumer sets it so it never resumes from an offset its own
   * producer is about to replace.
   */
  'requireStable'?: (boolean);
}

export interface OffsetFetchRequest__Output {
  'groupId': (string);
  /**
   * Empty: every committed offset of the group.
   */
  'topics': (_tributary_v1_TopicPartitions__Output)[];
  /**
   * KIP-447: answer UNSTABLE_OFFSET_COMMIT (retriable) while a transaction's offset commit for one of the
   * asked partitions (all of the group's, when none is named) awaits its marker, rather than the offset
   * committed before it. A transactional consumer sets it so it never resumes from an offset its own
   * producer is about to replace.
   */
  'requireStable': (boolean);
}
