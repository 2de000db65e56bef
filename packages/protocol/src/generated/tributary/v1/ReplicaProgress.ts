// Original file: protos/tributary/v1/broker.proto

import type { Long } from '@grpc/proto-loader';

export interface ReplicaProgress {
  'brokerId'?: (number);
  /**
   * The replica's log end offset as the leader last saw it (its last fetch offset); the leader's own for it.
   */
  'logEndOffset'?: (number | string | Long);
  'inIsr'?: (boolean);
  /**
   * Milliseconds since the replica was last caught up to the leader's log end; -1 when never.
   */
  'caughtUpMsAgo'?: (number | string | Long);
}

export interface ReplicaProgress__Output {
  'brokerId': (number);
  /**
   * The replica's log end offset as the leader last saw it (its last fetch offset); the leader's own for it.
   */
  'logEndOffset': (number);
  'inIsr': (boolean);
  /**
   * Milliseconds since the replica was last caught up to the leader's log end; -1 when never.
   */
  'caughtUpMsAgo': (number);
}
