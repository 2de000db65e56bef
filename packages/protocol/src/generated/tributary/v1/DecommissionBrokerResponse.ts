// Original file: protos/tributary/v1/controller.proto

import type { OngoingReassignment as _tributary_v1_OngoingReassignment, OngoingReassignment__Output as _tributary_v1_OngoingReassignment__Output } from '../../tributary/v1/OngoingReassignment.js';

export interface DecommissionBrokerResponse {
  /**
   * The reassignments started to move the broker's replicas away (empty when it held none).
   */
  'reassignments'?: (_tributary_v1_OngoingReassignment)[];
}

export interface DecommissionBrokerResponse__Output {
  /**
   * The reassignments started to move the broker's replicas away (empty when it held none).
   */
  'reassignments': (_tributary_v1_OngoingReassignment__Output)[];
}
