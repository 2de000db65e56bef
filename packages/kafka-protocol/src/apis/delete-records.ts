/**
 * DeleteRecords (key 21), versions 0–2; flexible from v2 (KIP-107: move a partition's log start
 * offset forward). v1 only changes throttling; the fields are the same in every version.
 */
import { defineApi } from '../api.js';
import { field, struct } from '../schema.js';
import { array, int16, int32, int64, string } from '../wire-type.js';

const deleteRecordsPartition = struct({
  partitionIndex: field(int32, '0+'),
  offset: field(int64, '0+'),
});

const deleteRecordsTopic = struct({
  name: field(string, '0+'),
  partitions: field(array(deleteRecordsPartition), '0+'),
});

const deleteRecordsPartitionResult = struct({
  partitionIndex: field(int32, '0+'),
  lowWatermark: field(int64, '0+'),
  errorCode: field(int16, '0+'),
});

const deleteRecordsTopicResult = struct({
  name: field(string, '0+'),
  partitions: field(array(deleteRecordsPartitionResult), '0+'),
});

export const DeleteRecords = defineApi({
  key: 21,
  name: 'DeleteRecords',
  versions: '0-2',
  flexible: '2+',
  request: {
    topics: field(array(deleteRecordsTopic), '0+'),
    timeoutMs: field(int32, '0+'),
  },
  response: {
    throttleTimeMs: field(int32, '0+'),
    topics: field(array(deleteRecordsTopicResult), '0+'),
  },
});
