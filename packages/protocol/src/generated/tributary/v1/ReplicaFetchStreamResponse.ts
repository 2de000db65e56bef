// Original file: protos/tributary/v1/replication.proto

import type { ReplicaFetchResponse as _tributary_v1_ReplicaFetchResponse, ReplicaFetchResponse__Output as _tributary_v1_ReplicaFetchResponse__Output } from '../../tributary/v1/ReplicaFetchResponse.js';

/**
 * One answer on ReplicaFetchStream, for the request before it: error_code set (the whole request failed, as a
 * unary ReplicaFetch's status would say) or response set.
 */
export interface ReplicaFetchStreamResponse {
  'errorCode'?: (string);
  'errorMessage'?: (string);
  'response'?: (_tributary_v1_ReplicaFetchResponse | null);
}

/**
 * One answer on ReplicaFetchStream, for the request before it: error_code set (the whole request failed, as a
 * unary ReplicaFetch's status would say) or response set.
 */
export interface ReplicaFetchStreamResponse__Output {
  'errorCode': (string);
  'errorMessage': (string);
  'response': (_tributary_v1_ReplicaFetchResponse__Output | null);
}
