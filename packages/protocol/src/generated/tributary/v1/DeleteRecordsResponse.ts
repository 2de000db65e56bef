// Original file: protos/tributary/v1/broker.proto

import type { DeleteRecordsPartitionResult as _tributary_v1_DeleteRecordsPartitionResult, DeleteRecordsPartitionResult__Output as _tributary_v1_DeleteRecordsPartitionResult__Output } from '../../tributary/v1/DeleteRecordsPartitionResult.js';

export interface DeleteRecordsResponse {
  'results'?: (_tributary_v1_DeleteRecordsPartitionResult)[];
}

export interface DeleteRecordsResponse__Output {
  'results': (_tributary_v1_DeleteRecordsPartitionResult__Output)[];
}
