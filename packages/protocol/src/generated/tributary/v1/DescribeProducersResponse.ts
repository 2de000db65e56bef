// Original file: protos/tributary/v1/broker.proto

import type { DescribeProducersPartitionResult as _tributary_v1_DescribeProducersPartitionResult, DescribeProducersPartitionResult__Output as _tributary_v1_DescribeProducersPartitionResult__Output } from '../../tributary/v1/DescribeProducersPartitionResult.js';

export interface DescribeProducersResponse {
  'results'?: (_tributary_v1_DescribeProducersPartitionResult)[];
}

export interface DescribeProducersResponse__Output {
  'results': (_tributary_v1_DescribeProducersPartitionResult__Output)[];
}
