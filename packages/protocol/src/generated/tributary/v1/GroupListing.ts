// Original file: protos/tributary/v1/group.proto


export interface GroupListing {
  'groupId'?: (string);
  /**
   * Empty (no members, committed offsets kept), Stable, Reconciling (members moving to a new assignment);
   * classic groups use Kafka's names: Empty, PreparingRebalance, CompletingRebalance, Stable.
   */
  'state'?: (string);
  'members'?: (number);
  'coordinatorId'?: (number);
  /**
   * "consumer" for Tributary's groups and Kafka consumers' classic groups; empty for offsets only.
   */
  'protocolType'?: (string);
  /**
   * "consumer" (this service's broker-driven protocol) or "classic" (Kafka's JoinGroup/SyncGroup; also
   * groups that only have committed offsets, as Kafka's simple groups).
   */
  'groupType'?: (string);
}

export interface GroupListing__Output {
  'groupId': (string);
  /**
   * Empty (no members, committed offsets kept), Stable, Reconciling (members moving to a new assignment);
   * classic groups use Kafka's names: Empty, PreparingRebalance, CompletingRebalance, Stable.
   */
  'state': (string);
  'members': (number);
  'coordinatorId': (number);
  /**
   * "consumer" for Tributary's groups and Kafka consumers' classic groups; empty for offsets only.
   */
  'protocolType': (string);
  /**
   * "consumer" (this service's broker-driven protocol) or "classic" (Kafka's JoinGroup/SyncGroup; also
   * groups that only have committed offsets, as Kafka's simple groups).
   */
  'groupType': (string);
}
