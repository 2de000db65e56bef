// Original file: protos/tributary/v1/raft.proto

import type { Long } from '@grpc/proto-loader';

export interface RaftSnapshotMeta {
  'index'?: (number | string | Long);
  'term'?: (number | string | Long);
  'voters'?: (number)[];
}

export interface RaftSnapshotMeta__Output {
  'index': (number);
  'term': (number);
  'voters': (number)[];
}
