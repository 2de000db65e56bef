// Original file: protos/tributary/v1/broker.proto

import type { ProduceRequest as _tributary_v1_ProduceRequest, ProduceRequest__Output as _tributary_v1_ProduceRequest__Output } from '../../tributary/v1/ProduceRequest.js';
import type { Long } from '@grpc/proto-loader';

export interface ProduceStreamRequest {
  /**
   * Chosen by the client, unique among its requests in flight on the stream.
   */
  'requestId'?: (number | string | Long);
  'request'?: (_tributary_v1_ProduceRequest | null);
}

export interface ProduceStreamRequest__Output {
  /**
   * Chosen by the client, unique among its requests in flight on the stream.
   */
  'requestId': (number);
  'request': (_tributary_v1_ProduceRequest__Output | null);
}
