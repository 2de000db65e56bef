// Original file: protos/tributary/v1/raft.proto

import type { RaftMessageType as _tributary_v1_RaftMessageType, RaftMessageType__Output as _tributary_v1_RaftMessageType__Output } from '../../tributary/v1/RaftMessageType.js';
import type { RaftEntry as _tributary_v1_RaftEntry, RaftEntry__Output as _tributary_v1_RaftEntry__Output } from '../../tributary/v1/RaftEntry.js';
import type { RaftSnapshotMeta as _tributary_v1_RaftSnapshotMeta, RaftSnapshotMeta__Output as _tributary_v1_RaftSnapshotMeta__Output } from '../../tributary/v1/RaftSnapshotMeta.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A flat encoding of every Raft message; which fields matter depends on `type` (see packages/raft).
 */
export interface RaftMessage {
  'type'?: (_tributary_v1_RaftMessageType);
  'from'?: (number);
  'to'?: (number);
  'term'?: (number | string | Long);
  /**
   * Append: the index/term of the entry before `entries`. Vote: the candidate's last index/term.
   */
  'logTerm'?: (number | string | Long);
  'index'?: (number | string | Long);
  'entries'?: (_tributary_v1_RaftEntry)[];
  'commit'?: (number | string | Long);
  'reject'?: (boolean);
  /**
   * AppendResponse on reject: where the follower's log may diverge, for fast back-off.
   */
  'rejectHintIndex'?: (number | string | Long);
  'rejectHintTerm'?: (number | string | Long);
  'snapshot'?: (_tributary_v1_RaftSnapshotMeta | null);
  /**
   * Vote: set when the vote was triggered by a leadership transfer (bypasses leader stickiness).
   */
  'transfer'?: (boolean);
  /**
   * Opaque context echoed back (heartbeats use it for read-index style probes).
   */
  'context'?: (Buffer | Uint8Array | string);
}

/**
 * A flat encoding of every Raft message; which fields matter depends on `type` (see packages/raft).
 */
export interface RaftMessage__Output {
  'type': (_tributary_v1_RaftMessageType__Output);
  'from': (number);
  'to': (number);
  'term': (number);
  /**
   * Append: the index/term of the entry before `entries`. Vote: the candidate's last index/term.
   */
  'logTerm': (number);
  'index': (number);
  'entries': (_tributary_v1_RaftEntry__Output)[];
  'commit': (number);
  'reject': (boolean);
  /**
   * AppendResponse on reject: where the follower's log may diverge, for fast back-off.
   */
  'rejectHintIndex': (number);
  'rejectHintTerm': (number);
  'snapshot': (_tributary_v1_RaftSnapshotMeta__Output | null);
  /**
   * Vote: set when the vote was triggered by a leadership transfer (bypasses leader stickiness).
   */
  'transfer': (boolean);
  /**
   * Opaque context echoed back (heartbeats use it for read-index style probes).
   */
  'context': (Buffer);
}
