// Original file: protos/tributary/v1/group.proto

import type { TopicPartitions as _tributary_v1_TopicPartitions, TopicPartitions__Output as _tributary_v1_TopicPartitions__Output } from '../../tributary/v1/TopicPartitions.js';

export interface GroupMemberDescription {
  'memberId'?: (string);
  'clientId'?: (string);
  'memberEpoch'?: (number);
  'subscribedTopics'?: (string)[];
  'assignment'?: (_tributary_v1_TopicPartitions)[];
  /**
   * Partitions the member still has to give up for the current target assignment.
   */
  'pendingRevocation'?: (_tributary_v1_TopicPartitions)[];
  /**
   * Classic members: group.instance.id of a static member (KIP-345), and the client's address.
   */
  'groupInstanceId'?: (string);
  'clientHost'?: (string);
}

export interface GroupMemberDescription__Output {
  'memberId': (string);
  'clientId': (string);
  'memberEpoch': (number);
  'subscribedTopics': (string)[];
  'assignment': (_tributary_v1_TopicPartitions__Output)[];
  /**
   * Partitions the member still has to give up for the current target assignment.
   */
  'pendingRevocation': (_tributary_v1_TopicPartitions__Output)[];
  /**
   * Classic members: group.instance.id of a static member (KIP-345), and the client's address.
   */
  'groupInstanceId': (string);
  'clientHost': (string);
}
