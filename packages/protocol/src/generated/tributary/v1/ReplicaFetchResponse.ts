// Original file: protos/tributary/v1/replication.proto

import type { ReplicaFetchPartitionResult as _tributary_v1_ReplicaFetchPartitionResult, ReplicaFetchPartitionResult__Output as _tributary_v1_ReplicaFetchPartitionResult__Output } from '../../tributary/v1/ReplicaFetchPartitionResult.js';

export interface ReplicaFetchResponse {
  'results'?: (_tributary_v1_ReplicaFetchPartitionResult)[];
}

export interface ReplicaFetchResponse__Output {
  'results': (_tributary_v1_ReplicaFetchPartitionResult__Output)[];
}
