// Original file: protos/tributary/v1/broker.proto

import type { ProduceResponse as _tributary_v1_ProduceResponse, ProduceResponse__Output as _tributary_v1_ProduceResponse__Output } from '../../tributary/v1/ProduceResponse.js';
import type { Long } from '@grpc/proto-loader';

/**
 * The answer to the request with request_id: error_code set (the whole request failed, as a unary Produce's
 * status would say: access denied, malformed, over the in-flight bound) or response set.
 */
export interface ProduceStreamResponse {
  'requestId'?: (number | string | Long);
  'errorCode'?: (string);
  'errorMessage'?: (string);
  'response'?: (_tributary_v1_ProduceResponse | null);
}

/**
 * The answer to the request with request_id: error_code set (the whole request failed, as a unary Produce's
 * status would say: access denied, malformed, over the in-flight bound) or response set.
 */
export interface ProduceStreamResponse__Output {
  'requestId': (number);
  'errorCode': (string);
  'errorMessage': (string);
  'response': (_tributary_v1_ProduceResponse__Output | null);
}
