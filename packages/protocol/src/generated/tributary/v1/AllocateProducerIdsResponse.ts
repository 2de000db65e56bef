// Original file: protos/tributary/v1/controller.proto

import type { Long } from '@grpc/proto-loader';

export interface AllocateProducerIdsResponse {
  /**
   * The block [first_producer_id, first_producer_id + count).
   */
  'firstProducerId'?: (number | string | Long);
  'count'?: (number);
}

export interface AllocateProducerIdsResponse__Output {
  /**
   * The block [first_producer_id, first_producer_id + count).
   */
  'firstProducerId': (number);
  'count': (number);
}
