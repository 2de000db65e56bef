// Original file: protos/tributary/v1/group.proto

import type { GroupMemberDescription as _tributary_v1_GroupMemberDescription, GroupMemberDescription__Output as _tributary_v1_GroupMemberDescription__Output } from '../../tributary/v1/GroupMemberDescription.js';
import type { CommittedOffset as _tributary_v1_CommittedOffset, CommittedOffset__Output as _tributary_v1_CommittedOffset__Output } from '../../tributary/v1/CommittedOffset.js';

export interface DescribeGroupResponse {
  /**
   * GROUP_ID_NOT_FOUND when the group has neither members nor committed offsets.
   */
  'errorCode'?: (string);
  'errorMessage'?: (string);
  'groupId'?: (string);
  'state'?: (string);
  'groupEpoch'?: (number);
  'assignor'?: (string);
  'coordinatorId'?: (number);
  'members'?: (_tributary_v1_GroupMemberDescription)[];
  'offsets'?: (_tributary_v1_CommittedOffset)[];
  /**
   * As in GroupListing. For a classic group group_epoch is its generation, assignor its selected
   * protocol, each member's member_epoch the generation, and its subscribed topics and assignment are
   * decoded from the "consumer" protocol's bytes (empty for other protocol types or while rebalancing).
   */
  'protocolType'?: (string);
  'groupType'?: (string);
}

export interface DescribeGroupResponse__Output {
  /**
   * GROUP_ID_NOT_FOUND when the group has neither members nor committed offsets.
   */
  'errorCode': (string);
  'errorMessage': (string);
  'groupId': (string);
  'state': (string);
  'groupEpoch': (number);
  'assignor': (string);
  'coordinatorId': (number);
  'members': (_tributary_v1_GroupMemberDescription__Output)[];
  'offsets': (_tributary_v1_CommittedOffset__Output)[];
  /**
   * As in GroupListing. For a classic group group_epoch is its generation, assignor its selected
   * protocol, each member's member_epoch the generation, and its subscribed topics and assignment are
   * decoded from the "consumer" protocol's bytes (empty for other protocol types or while rebalancing).
   */
  'protocolType': (string);
  'groupType': (string);
}
