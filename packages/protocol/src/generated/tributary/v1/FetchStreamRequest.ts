// Original file: protos/tributary/v1/broker.proto

import type { FetchRequest as _tributary_v1_FetchRequest, FetchRequest__Output as _tributary_v1_FetchRequest__Output } from '../../tributary/v1/FetchRequest.js';
import type { Long } from '@grpc/proto-loader';

export interface FetchStreamRequest {
  /**
   * Chosen by the client, unique among its requests unanswered on the stream.
   */
  'requestId'?: (number | string | Long);
  /**
   * Unset when `cancel` is set.
   */
  'request'?: (_tributary_v1_FetchRequest | null);
  /**
   * Not a request: ends the wait of the unanswered request `request_id` (it is answered with what it has);
   * an id with no request waiting is ignored. Never answered itself.
   */
  'cancel'?: (boolean);
}

export interface FetchStreamRequest__Output {
  /**
   * Chosen by the client, unique among its requests unanswered on the stream.
   */
  'requestId': (number);
  /**
   * Unset when `cancel` is set.
   */
  'request': (_tributary_v1_FetchRequest__Output | null);
  /**
   * Not a request: ends the wait of the unanswered request `request_id` (it is answered with what it has);
   * an id with no request waiting is ignored. Never answered itself.
   */
  'cancel': (boolean);
}
