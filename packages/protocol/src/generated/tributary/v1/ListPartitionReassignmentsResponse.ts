// Original file: protos/tributary/v1/controller.proto

import type { OngoingReassignment as _tributary_v1_OngoingReassignment, OngoingReassignment__Output as _tributary_v1_OngoingReassignment__Output } from '../../tributary/v1/OngoingReassignment.js';
import type { Long } from '@grpc/proto-loader';

export interface ListPartitionReassignmentsResponse {
  'reassignments'?: (_tributary_v1_OngoingReassignment)[];
  /**
   * The current replication throttle (bytes/s per broker); 0 when none is set.
   */
  'throttleBytesPerSec'?: (number | string | Long);
}

export interface ListPartitionReassignmentsResponse__Output {
  'reassignments': (_tributary_v1_OngoingReassignment__Output)[];
  /**
   * The current replication throttle (bytes/s per broker); 0 when none is set.
   */
  'throttleBytesPerSec': (number);
}
