// Original file: protos/tributary/v1/transactions.proto

import type { Long } from '@grpc/proto-loader';

export interface EndTxnRequest {
  'transactionalId'?: (string);
  'producerId'?: (number | string | Long);
  'producerEpoch'?: (number);
  /**
   * true = commit, false = abort.
   */
  'commit'?: (boolean);
}

export interface EndTxnRequest__Output {
  'transactionalId': (string);
  'producerId': (number);
  'producerEpoch': (number);
  /**
   * true = commit, false = abort.
   */
  'commit': (boolean);
}
