// Original file: protos/tributary/v1/controller.proto

import type { QuorumVoter as _tributary_v1_QuorumVoter, QuorumVoter__Output as _tributary_v1_QuorumVoter__Output } from '../../tributary/v1/QuorumVoter.js';

export interface AddVoterResponse {
  /**
   * The voters once the change is committed.
   */
  'voters'?: (_tributary_v1_QuorumVoter)[];
}

export interface AddVoterResponse__Output {
  /**
   * The voters once the change is committed.
   */
  'voters': (_tributary_v1_QuorumVoter__Output)[];
}
