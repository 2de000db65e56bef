// Original file: protos/tributary/v1/controller.proto

import type { Long } from '@grpc/proto-loader';

export interface DecommissionBrokerRequest {
  'brokerId'?: (number);
  /**
   * As in AlterPartitionReassignmentsRequest.
   */
  'throttleBytesPerSec'?: (number | string | Long);
  /**
   * Takes the broker back: new replicas may be placed on it again (moved replicas stay where they are).
   */
  'cancel'?: (boolean);
}

export interface DecommissionBrokerRequest__Output {
  'brokerId': (number);
  /**
   * As in AlterPartitionReassignmentsRequest.
   */
  'throttleBytesPerSec': (number);
  /**
   * Takes the broker back: new replicas may be placed on it again (moved replicas stay where they are).
   */
  'cancel': (boolean);
}
