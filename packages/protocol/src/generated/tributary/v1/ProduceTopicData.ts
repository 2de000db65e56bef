// Original file: protos/tributary/v1/broker.proto

import type { ProducePartitionData as _tributary_v1_ProducePartitionData, ProducePartitionData__Output as _tributary_v1_ProducePartitionData__Output } from '../../tributary/v1/ProducePartitionData.js';

export interface ProduceTopicData {
  'name'?: (string);
  'partitions'?: (_tributary_v1_ProducePartitionData)[];
}

export interface ProduceTopicData__Output {
  'name': (string);
  'partitions': (_tributary_v1_ProducePartitionData__Output)[];
}
