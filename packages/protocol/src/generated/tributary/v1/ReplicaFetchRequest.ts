// Original file: protos/tributary/v1/replication.proto

import type { ReplicaFetchPartition as _tributary_v1_ReplicaFetchPartition, ReplicaFetchPartition__Output as _tributary_v1_ReplicaFetchPartition__Output } from '../../tributary/v1/ReplicaFetchPartition.js';
import type { Long } from '@grpc/proto-loader';

export interface ReplicaFetchRequest {
  'replicaId'?: (number);
  'brokerEpoch'?: (number | string | Long);
  'maxWaitMs'?: (number);
  'minBytes'?: (number);
  'maxBytes'?: (number);
  'partitions'?: (_tributary_v1_ReplicaFetchPartition)[];
}

export interface ReplicaFetchRequest__Output {
  'replicaId': (number);
  'brokerEpoch': (number);
  'maxWaitMs': (number);
  'minBytes': (number);
  'maxBytes': (number);
  'partitions': (_tributary_v1_ReplicaFetchPartition__Output)[];
}
