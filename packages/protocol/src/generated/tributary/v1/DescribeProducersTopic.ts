// Original file: protos/tributary/v1/broker.proto

import type { DescribeProducersPartition as _tributary_v1_DescribeProducersPartition, DescribeProducersPartition__Output as _tributary_v1_DescribeProducersPartition__Output } from '../../tributary/v1/DescribeProducersPartition.js';

export interface DescribeProducersTopic {
  'name'?: (string);
  'partitions'?: (_tributary_v1_DescribeProducersPartition)[];
}

export interface DescribeProducersTopic__Output {
  'name': (string);
  'partitions': (_tributary_v1_DescribeProducersPartition__Output)[];
}
