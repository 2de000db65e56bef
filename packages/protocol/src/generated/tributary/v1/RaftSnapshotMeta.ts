// Original file: protos/tributary/v1/raft.proto

import type { RaftMemberAddress as _tributary_v1_RaftMemberAddress, RaftMemberAddress__Output as _tributary_v1_RaftMemberAddress__Output } from '../../tributary/v1/RaftMemberAddress.js';
import type { Long } from '@grpc/proto-loader';

/**
 * The snapshot's last index and term, and the membership as of that index.
 */
export interface RaftSnapshotMeta {
  'index'?: (number | string | Long);
  'term'?: (number | string | Long);
  'voters'?: (number)[];
  /**
   * Non-voting members (controllers catching up before promotion).
   */
  'learners'?: (number)[];
  'addresses'?: (_tributary_v1_RaftMemberAddress)[];
}

/**
 * The snapshot's last index and term, and the membership as of that index.
 */
export interface RaftSnapshotMeta__Output {
  'index': (number);
  'term': (number);
  'voters': (number)[];
  /**
   * Non-voting members (controllers catching up before promotion).
   */
  'learners': (number)[];
  'addresses': (_tributary_v1_RaftMemberAddress__Output)[];
}
