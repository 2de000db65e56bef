// Original file: protos/tributary/v1/group.proto

import type { TopicPartitions as _tributary_v1_TopicPartitions, TopicPartitions__Output as _tributary_v1_TopicPartitions__Output } from '../../tributary/v1/TopicPartitions.js';

export interface GroupHeartbeatResponse {
  /**
   * Empty on success; NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, UNKNOWN_MEMBER_ID (rejoin with
   * epoch 0 after dropping every partition), FENCED_MEMBER_EPOCH (likewise), INCONSISTENT_GROUP_PROTOCOL.
   */
  'errorCode'?: (string);
  'errorMessage'?: (string);
  'memberId'?: (string);
  'memberEpoch'?: (number);
  'heartbeatIntervalMs'?: (number);
  /**
   * The partitions the member should own now: it starts fetching new ones and revokes the ones missing
   * (committing their offsets first), then reports what it owns in its next heartbeat.
   */
  'assignment'?: (_tributary_v1_TopicPartitions)[];
}

export interface GroupHeartbeatResponse__Output {
  /**
   * Empty on success; NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, UNKNOWN_MEMBER_ID (rejoin with
   * epoch 0 after dropping every partition), FENCED_MEMBER_EPOCH (likewise), INCONSISTENT_GROUP_PROTOCOL.
   */
  'errorCode': (string);
  'errorMessage': (string);
  'memberId': (string);
  'memberEpoch': (number);
  'heartbeatIntervalMs': (number);
  /**
   * The partitions the member should own now: it starts fetching new ones and revokes the ones missing
   * (committing their offsets first), then reports what it owns in its next heartbeat.
   */
  'assignment': (_tributary_v1_TopicPartitions__Output)[];
}
