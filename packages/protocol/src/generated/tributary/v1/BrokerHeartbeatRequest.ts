// Original file: protos/tributary/v1/controller.proto

import type { Long } from '@grpc/proto-loader';

export interface BrokerHeartbeatRequest {
  'brokerId'?: (number);
  'brokerEpoch'?: (number | string | Long);
  /**
   * The highest metadata offset this broker has applied.
   */
  'metadataOffset'?: (number | string | Long);
  'wantFence'?: (boolean);
  'wantShutdown'?: (boolean);
  /**
   * Brokers this broker could not connect to since its last heartbeat (its replica fetches to them
   * failed with UNAVAILABLE). Evidence for fast fencing: the controller fences a reported broker whose
   * own heartbeats have also gone quiet (see docs/decisions.md, "Fast failure detection").
   */
  'unreachableBrokerIds'?: (number)[];
}

export interface BrokerHeartbeatRequest__Output {
  'brokerId': (number);
  'brokerEpoch': (number);
  /**
   * The highest metadata offset this broker has applied.
   */
  'metadataOffset': (number);
  'wantFence': (boolean);
  'wantShutdown': (boolean);
  /**
   * Brokers this broker could not connect to since its last heartbeat (its replica fetches to them
   * failed with UNAVAILABLE). Evidence for fast fencing: the controller fences a reported broker whose
   * own heartbeats have also gone quiet (see docs/decisions.md, "Fast failure detection").
   */
  'unreachableBrokerIds': (number)[];
}
