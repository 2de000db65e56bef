// Original file: protos/tributary/v1/group.proto

import type { TopicPartitions as _tributary_v1_TopicPartitions, TopicPartitions__Output as _tributary_v1_TopicPartitions__Output } from '../../tributary/v1/TopicPartitions.js';

export interface GroupHeartbeatRequest {
  'groupId'?: (string);
  /**
   * Chosen by the client (a UUID) when it first joins and kept for its lifetime.
   */
  'memberId'?: (string);
  /**
   * 0 = join, -1 = leave, otherwise the epoch the coordinator last gave this member.
   */
  'memberEpoch'?: (number);
  'clientId'?: (string);
  /**
   * The topics the member subscribes to (a client with a regex resolves it against the metadata).
   */
  'subscribedTopics'?: (string)[];
  /**
   * range | round-robin | cooperative-sticky; empty = the group's current assignor (default
   * cooperative-sticky). All members of a group must agree; a conflicting name is refused.
   */
  'assignor'?: (string);
  /**
   * Bounds how long a member may take to revoke partitions before it is removed from the group.
   */
  'rebalanceTimeoutMs'?: (number);
  /**
   * A member not heard from for this long is removed; 0 = the broker default (45 s, as Kafka).
   */
  'sessionTimeoutMs'?: (number);
  /**
   * The partitions the member owns right now (after any revocation it has finished).
   */
  'ownedPartitions'?: (_tributary_v1_TopicPartitions)[];
}

export interface GroupHeartbeatRequest__Output {
  'groupId': (string);
  /**
   * Chosen by the client (a UUID) when it first joins and kept for its lifetime.
   */
  'memberId': (string);
  /**
   * 0 = join, -1 = leave, otherwise the epoch the coordinator last gave this member.
   */
  'memberEpoch': (number);
  'clientId': (string);
  /**
   * The topics the member subscribes to (a client with a regex resolves it against the metadata).
   */
  'subscribedTopics': (string)[];
  /**
   * range | round-robin | cooperative-sticky; empty = the group's current assignor (default
   * cooperative-sticky). All members of a group must agree; a conflicting name is refused.
   */
  'assignor': (string);
  /**
   * Bounds how long a member may take to revoke partitions before it is removed from the group.
   */
  'rebalanceTimeoutMs': (number);
  /**
   * A member not heard from for this long is removed; 0 = the broker default (45 s, as Kafka).
   */
  'sessionTimeoutMs': (number);
  /**
   * The partitions the member owns right now (after any revocation it has finished).
   */
  'ownedPartitions': (_tributary_v1_TopicPartitions__Output)[];
}
