// Original file: protos/tributary/v1/broker.proto

import type { ListOffsetsPartitionResult as _tributary_v1_ListOffsetsPartitionResult, ListOffsetsPartitionResult__Output as _tributary_v1_ListOffsetsPartitionResult__Output } from '../../tributary/v1/ListOffsetsPartitionResult.js';

export interface ListOffsetsResponse {
  'results'?: (_tributary_v1_ListOffsetsPartitionResult)[];
}

export interface ListOffsetsResponse__Output {
  'results': (_tributary_v1_ListOffsetsPartitionResult__Output)[];
}
