// Original file: protos/tributary/v1/broker.proto

import type { ProducePartitionResult as _tributary_v1_ProducePartitionResult, ProducePartitionResult__Output as _tributary_v1_ProducePartitionResult__Output } from '../../tributary/v1/ProducePartitionResult.js';

export interface ProduceResponse {
  'results'?: (_tributary_v1_ProducePartitionResult)[];
}

export interface ProduceResponse__Output {
  'results': (_tributary_v1_ProducePartitionResult__Output)[];
}
