// Original file: protos/tributary/v1/controller.proto

import type { QuorumVoter as _tributary_v1_QuorumVoter, QuorumVoter__Output as _tributary_v1_QuorumVoter__Output } from '../../tributary/v1/QuorumVoter.js';
import type { Long } from '@grpc/proto-loader';

export interface DescribeQuorumResponse {
  'nodeId'?: (number);
  /**
   * -1 when this controller knows of no leader.
   */
  'leaderId'?: (number);
  'term'?: (number | string | Long);
  'commitIndex'?: (number | string | Long);
  'lastIndex'?: (number | string | Long);
  /**
   * "leader" | "follower" | "candidate" | "pre-candidate"
   */
  'role'?: (string);
  'voters'?: (_tributary_v1_QuorumVoter)[];
  'snapshotIndex'?: (number | string | Long);
  'appliedIndex'?: (number | string | Long);
  /**
   * Non-voting members the leader replicates to (a node being added as a voter catches up here first).
   */
  'observers'?: (_tributary_v1_QuorumVoter)[];
}

export interface DescribeQuorumResponse__Output {
  'nodeId': (number);
  /**
   * -1 when this controller knows of no leader.
   */
  'leaderId': (number);
  'term': (number);
  'commitIndex': (number);
  'lastIndex': (number);
  /**
   * "leader" | "follower" | "candidate" | "pre-candidate"
   */
  'role': (string);
  'voters': (_tributary_v1_QuorumVoter__Output)[];
  'snapshotIndex': (number);
  'appliedIndex': (number);
  /**
   * Non-voting members the leader replicates to (a node being added as a voter catches up here first).
   */
  'observers': (_tributary_v1_QuorumVoter__Output)[];
}
