// Original file: protos/tributary/v1/broker.proto

import type { DeleteRecordsTopic as _tributary_v1_DeleteRecordsTopic, DeleteRecordsTopic__Output as _tributary_v1_DeleteRecordsTopic__Output } from '../../tributary/v1/DeleteRecordsTopic.js';

export interface DeleteRecordsRequest {
  'topics'?: (_tributary_v1_DeleteRecordsTopic)[];
  /**
   * How long the leader waits for the in-sync followers to move their log start too; 0 = the default
   * (30 s). On timeout the leader's own log start has moved and the answer is REQUEST_TIMED_OUT.
   */
  'timeoutMs'?: (number);
}

export interface DeleteRecordsRequest__Output {
  'topics': (_tributary_v1_DeleteRecordsTopic__Output)[];
  /**
   * How long the leader waits for the in-sync followers to move their log start too; 0 = the default
   * (30 s). On timeout the leader's own log start has moved and the answer is REQUEST_TIMED_OUT.
   */
  'timeoutMs': (number);
}
