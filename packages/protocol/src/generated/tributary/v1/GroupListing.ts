// Original file: protos/tributary/v1/group.proto


export interface GroupListing {
  'groupId'?: (string);
  /**
   * Empty (no members, committed offsets kept), Stable, Reconciling (members moving to a new assignment).
   */
  'state'?: (string);
  'members'?: (number);
  'coordinatorId'?: (number);
}

export interface GroupListing__Output {
  'groupId': (string);
  /**
   * Empty (no members, committed offsets kept), Stable, Reconciling (members moving to a new assignment).
   */
  'state': (string);
  'members': (number);
  'coordinatorId': (number);
}
