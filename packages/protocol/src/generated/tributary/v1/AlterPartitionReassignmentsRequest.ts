// Original file: protos/tributary/v1/controller.proto

import type { ReassignmentTarget as _tributary_v1_ReassignmentTarget, ReassignmentTarget__Output as _tributary_v1_ReassignmentTarget__Output } from '../../tributary/v1/ReassignmentTarget.js';
import type { Long } from '@grpc/proto-loader';

export interface AlterPartitionReassignmentsRequest {
  'targets'?: (_tributary_v1_ReassignmentTarget)[];
  /**
   * Replication throttle for moving replicas, bytes per second per broker (cluster config
   * `replication.throttled.rate`); 0 leaves the current throttle as it is. The controller removes the
   * throttle when the last reassignment ends.
   */
  'throttleBytesPerSec'?: (number | string | Long);
  /**
   * Removes the throttle now.
   */
  'removeThrottle'?: (boolean);
  'validateOnly'?: (boolean);
}

export interface AlterPartitionReassignmentsRequest__Output {
  'targets': (_tributary_v1_ReassignmentTarget__Output)[];
  /**
   * Replication throttle for moving replicas, bytes per second per broker (cluster config
   * `replication.throttled.rate`); 0 leaves the current throttle as it is. The controller removes the
   * throttle when the last reassignment ends.
   */
  'throttleBytesPerSec': (number);
  /**
   * Removes the throttle now.
   */
  'removeThrottle': (boolean);
  'validateOnly': (boolean);
}
