// Original file: protos/tributary/v1/broker.proto

import type { DescribeProducersTopic as _tributary_v1_DescribeProducersTopic, DescribeProducersTopic__Output as _tributary_v1_DescribeProducersTopic__Output } from '../../tributary/v1/DescribeProducersTopic.js';

export interface DescribeProducersRequest {
  /**
   * Each partition is answered by its leader; a partition named twice is refused (INVALID_REQUEST).
   */
  'topics'?: (_tributary_v1_DescribeProducersTopic)[];
}

export interface DescribeProducersRequest__Output {
  /**
   * Each partition is answered by its leader; a partition named twice is refused (INVALID_REQUEST).
   */
  'topics': (_tributary_v1_DescribeProducersTopic__Output)[];
}
