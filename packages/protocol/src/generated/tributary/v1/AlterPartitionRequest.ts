// Original file: protos/tributary/v1/controller.proto

import type { AlterPartitionItem as _tributary_v1_AlterPartitionItem, AlterPartitionItem__Output as _tributary_v1_AlterPartitionItem__Output } from '../../tributary/v1/AlterPartitionItem.js';
import type { Long } from '@grpc/proto-loader';

export interface AlterPartitionRequest {
  'brokerId'?: (number);
  'brokerEpoch'?: (number | string | Long);
  'items'?: (_tributary_v1_AlterPartitionItem)[];
}

export interface AlterPartitionRequest__Output {
  'brokerId': (number);
  'brokerEpoch': (number);
  'items': (_tributary_v1_AlterPartitionItem__Output)[];
}
