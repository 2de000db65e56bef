// Original file: protos/tributary/v1/controller.proto

import type { OfflinePartitions as _tributary_v1_OfflinePartitions, OfflinePartitions__Output as _tributary_v1_OfflinePartitions__Output } from '../../tributary/v1/OfflinePartitions.js';
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
  /**
   * Partitions whose log directory failed on this broker (Kafka's log-dir failure; KIP-858 sends the
   * offline directories instead, which needs directory assignments in the metadata: see docs/decisions.md).
   * Sent while the broker's image still has it lead them or sit in their ISR beside others: the controller
   * moves their leadership to another in-sync replica and takes this broker out of their ISR.
   */
  'offlinePartitions'?: (_tributary_v1_OfflinePartitions)[];
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
  /**
   * Partitions whose log directory failed on this broker (Kafka's log-dir failure; KIP-858 sends the
   * offline directories instead, which needs directory assignments in the metadata: see docs/decisions.md).
   * Sent while the broker's image still has it lead them or sit in their ISR beside others: the controller
   * moves their leadership to another in-sync replica and takes this broker out of their ISR.
   */
  'offlinePartitions': (_tributary_v1_OfflinePartitions__Output)[];
}
