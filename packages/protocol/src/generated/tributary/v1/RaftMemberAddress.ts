// Original file: protos/tributary/v1/raft.proto


/**
 * Where to reach a quorum member, carried with the membership.
 */
export interface RaftMemberAddress {
  'id'?: (number);
  /**
   * host:port of the member's controller listener.
   */
  'address'?: (string);
}

/**
 * Where to reach a quorum member, carried with the membership.
 */
export interface RaftMemberAddress__Output {
  'id': (number);
  /**
   * host:port of the member's controller listener.
   */
  'address': (string);
}
