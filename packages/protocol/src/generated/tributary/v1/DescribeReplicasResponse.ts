// Original file: protos/tributary/v1/broker.proto

import type { DescribedPartitionReplicas as _tributary_v1_DescribedPartitionReplicas, DescribedPartitionReplicas__Output as _tributary_v1_DescribedPartitionReplicas__Output } from '../../tributary/v1/DescribedPartitionReplicas.js';

export interface DescribeReplicasResponse {
  'partitions'?: (_tributary_v1_DescribedPartitionReplicas)[];
}

export interface DescribeReplicasResponse__Output {
  'partitions': (_tributary_v1_DescribedPartitionReplicas__Output)[];
}
