// Original file: protos/tributary/v1/broker.proto

import type { FetchPartitionResult as _tributary_v1_FetchPartitionResult, FetchPartitionResult__Output as _tributary_v1_FetchPartitionResult__Output } from '../../tributary/v1/FetchPartitionResult.js';

export interface FetchResponse {
  'results'?: (_tributary_v1_FetchPartitionResult)[];
  /**
   * As in ProduceResponse.
   */
  'throttleTimeMs'?: (number);
}

export interface FetchResponse__Output {
  'results': (_tributary_v1_FetchPartitionResult__Output)[];
  /**
   * As in ProduceResponse.
   */
  'throttleTimeMs': (number);
}
