// Original file: protos/tributary/v1/raft.proto

import type { RaftEntryType as _tributary_v1_RaftEntryType, RaftEntryType__Output as _tributary_v1_RaftEntryType__Output } from '../../tributary/v1/RaftEntryType.js';
import type { Long } from '@grpc/proto-loader';

export interface RaftEntry {
  'index'?: (number | string | Long);
  'term'?: (number | string | Long);
  'type'?: (_tributary_v1_RaftEntryType);
  'data'?: (Buffer | Uint8Array | string);
}

export interface RaftEntry__Output {
  'index': (number);
  'term': (number);
  'type': (_tributary_v1_RaftEntryType__Output);
  'data': (Buffer);
}
