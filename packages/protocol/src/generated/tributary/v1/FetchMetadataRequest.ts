// Original file: protos/tributary/v1/controller.proto

import type { Long } from '@grpc/proto-loader';

export interface FetchMetadataRequest {
  /**
   * The first metadata offset (Raft index) wanted.
   */
  'fromOffset'?: (number | string | Long);
  /**
   * Keep the stream open and send new records as they commit; otherwise close once caught up.
   */
  'follow'?: (boolean);
}

export interface FetchMetadataRequest__Output {
  /**
   * The first metadata offset (Raft index) wanted.
   */
  'fromOffset': (number);
  /**
   * Keep the stream open and send new records as they commit; otherwise close once caught up.
   */
  'follow': (boolean);
}
