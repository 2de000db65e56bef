// Original file: protos/tributary/v1/group.proto


export interface FindCoordinatorResponse {
  /**
   * Empty on success; COORDINATOR_NOT_AVAILABLE while the offsets partition has no leader.
   */
  'errorCode'?: (string);
  'errorMessage'?: (string);
  'nodeId'?: (number);
  'address'?: (string);
}

export interface FindCoordinatorResponse__Output {
  /**
   * Empty on success; COORDINATOR_NOT_AVAILABLE while the offsets partition has no leader.
   */
  'errorCode': (string);
  'errorMessage': (string);
  'nodeId': (number);
  'address': (string);
}
