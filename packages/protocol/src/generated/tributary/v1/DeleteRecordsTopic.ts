// Original file: protos/tributary/v1/broker.proto

import type { DeleteRecordsPartition as _tributary_v1_DeleteRecordsPartition, DeleteRecordsPartition__Output as _tributary_v1_DeleteRecordsPartition__Output } from '../../tributary/v1/DeleteRecordsPartition.js';

export interface DeleteRecordsTopic {
  'name'?: (string);
  'partitions'?: (_tributary_v1_DeleteRecordsPartition)[];
}

export interface DeleteRecordsTopic__Output {
  'name': (string);
  'partitions': (_tributary_v1_DeleteRecordsPartition__Output)[];
}
