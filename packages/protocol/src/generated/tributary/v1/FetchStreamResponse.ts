// Original file: protos/tributary/v1/broker.proto

import type { FetchResponse as _tributary_v1_FetchResponse, FetchResponse__Output as _tributary_v1_FetchResponse__Output } from '../../tributary/v1/FetchResponse.js';
import type { Long } from '@grpc/proto-loader';

/**
 * The answer to the request with request_id: error_code set (the whole request failed, as a unary Fetch's
 * status would say: access denied, malformed, not ready) or response set.
 */
export interface FetchStreamResponse {
  'requestId'?: (number | string | Long);
  'errorCode'?: (string);
  'errorMessage'?: (string);
  'response'?: (_tributary_v1_FetchResponse | null);
}

/**
 * The answer to the request with request_id: error_code set (the whole request failed, as a unary Fetch's
 * status would say: access denied, malformed, not ready) or response set.
 */
export interface FetchStreamResponse__Output {
  'requestId': (number);
  'errorCode': (string);
  'errorMessage': (string);
  'response': (_tributary_v1_FetchResponse__Output | null);
}
