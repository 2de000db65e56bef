// Original file: protos/tributary/v1/group.proto

import type { OffsetCommitTopic as _tributary_v1_OffsetCommitTopic, OffsetCommitTopic__Output as _tributary_v1_OffsetCommitTopic__Output } from '../../tributary/v1/OffsetCommitTopic.js';

export interface OffsetCommitRequest {
  'groupId'?: (string);
  /**
   * A member commits with its id and current epoch (stale epochs are fenced). Admin tools and consumers
   * without a group membership send an empty member_id and epoch -1, accepted only while the group
   * has no members.
   */
  'memberId'?: (string);
  'memberEpoch'?: (number);
  'topics'?: (_tributary_v1_OffsetCommitTopic)[];
}

export interface OffsetCommitRequest__Output {
  'groupId': (string);
  /**
   * A member commits with its id and current epoch (stale epochs are fenced). Admin tools and consumers
   * without a group membership send an empty member_id and epoch -1, accepted only while the group
   * has no members.
   */
  'memberId': (string);
  'memberEpoch': (number);
  'topics': (_tributary_v1_OffsetCommitTopic__Output)[];
}
