// Original file: protos/tributary/v1/raft.proto

import type { RaftMessage as _tributary_v1_RaftMessage, RaftMessage__Output as _tributary_v1_RaftMessage__Output } from '../../tributary/v1/RaftMessage.js';

export interface RaftMessageBatch {
  'messages'?: (_tributary_v1_RaftMessage)[];
}

export interface RaftMessageBatch__Output {
  'messages': (_tributary_v1_RaftMessage__Output)[];
}
