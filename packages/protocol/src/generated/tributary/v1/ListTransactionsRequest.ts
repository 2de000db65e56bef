// Original file: protos/tributary/v1/transactions.proto

import type { Long } from '@grpc/proto-loader';

export interface ListTransactionsRequest {
  /**
   * Empty: every state.
   */
  'stateFilters'?: (string)[];
  /**
   * Empty: every producer id.
   */
  'producerIdFilters'?: (number | string | Long)[];
  /**
   * KIP-994: only transactions open longer than this (ms); 0 = no filter.
   */
  'durationFilterMs'?: (number | string | Long);
}

export interface ListTransactionsRequest__Output {
  /**
   * Empty: every state.
   */
  'stateFilters': (string)[];
  /**
   * Empty: every producer id.
   */
  'producerIdFilters': (number)[];
  /**
   * KIP-994: only transactions open longer than this (ms); 0 = no filter.
   */
  'durationFilterMs': (number);
}
