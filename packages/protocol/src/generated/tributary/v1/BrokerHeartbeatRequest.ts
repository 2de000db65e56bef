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
}
