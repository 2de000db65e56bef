// Original file: protos/tributary/v1/broker.proto

import type { FetchAbortedTransaction as _tributary_v1_FetchAbortedTransaction, FetchAbortedTransaction__Output as _tributary_v1_FetchAbortedTransaction__Output } from '../../tributary/v1/FetchAbortedTransaction.js';
import type { Long } from '@grpc/proto-loader';

export interface FetchPartitionResult {
  'topic'?: (string);
  'partition'?: (number);
  'errorCode'?: (string);
  'errorMessage'?: (string);
  'highWatermark'?: (number | string | Long);
  'logStartOffset'?: (number | string | Long);
  /**
   * Whole batches starting at or before fetch_offset (the client skips records below it).
   */
  'records'?: (Buffer | Uint8Array | string);
  'leaderId'?: (number);
  'leaderEpoch'?: (number);
  /**
   * min(high watermark, first offset of the oldest open transaction): read_committed reads stop here.
   */
  'lastStableOffset'?: (number | string | Long);
  /**
   * read_committed only: the aborted transactions overlapping the returned records.
   */
  'abortedTransactions'?: (_tributary_v1_FetchAbortedTransaction)[];
}

export interface FetchPartitionResult__Output {
  'topic': (string);
  'partition': (number);
  'errorCode': (string);
  'errorMessage': (string);
  'highWatermark': (number);
  'logStartOffset': (number);
  /**
   * Whole batches starting at or before fetch_offset (the client skips records below it).
   */
  'records': (Buffer);
  'leaderId': (number);
  'leaderEpoch': (number);
  /**
   * min(high watermark, first offset of the oldest open transaction): read_committed reads stop here.
   */
  'lastStableOffset': (number);
  /**
   * read_committed only: the aborted transactions overlapping the returned records.
   */
  'abortedTransactions': (_tributary_v1_FetchAbortedTransaction__Output)[];
}
