// Original file: protos/tributary/v1/controller.proto

import type { AlterPartitionResult as _tributary_v1_AlterPartitionResult, AlterPartitionResult__Output as _tributary_v1_AlterPartitionResult__Output } from '../../tributary/v1/AlterPartitionResult.js';

export interface AlterPartitionResponse {
  'results'?: (_tributary_v1_AlterPartitionResult)[];
}

export interface AlterPartitionResponse__Output {
  'results': (_tributary_v1_AlterPartitionResult__Output)[];
}
