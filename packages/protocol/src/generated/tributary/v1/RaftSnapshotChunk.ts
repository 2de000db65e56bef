// Original file: protos/tributary/v1/raft.proto

import type { RaftMessage as _tributary_v1_RaftMessage, RaftMessage__Output as _tributary_v1_RaftMessage__Output } from '../../tributary/v1/RaftMessage.js';

export interface RaftSnapshotChunk {
  /**
   * Set on the first chunk only: the snapshot message without its data.
   */
  'message'?: (_tributary_v1_RaftMessage | null);
  'data'?: (Buffer | Uint8Array | string);
  'last'?: (boolean);
}

export interface RaftSnapshotChunk__Output {
  /**
   * Set on the first chunk only: the snapshot message without its data.
   */
  'message': (_tributary_v1_RaftMessage__Output | null);
  'data': (Buffer);
  'last': (boolean);
}
