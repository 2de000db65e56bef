// Original file: protos/tributary/v1/transactions.proto

import type { Long } from '@grpc/proto-loader';

export interface InitTransactionsResponse {
  'errorCode'?: (string);
  'errorMessage'?: (string);
  'producerId'?: (number | string | Long);
  'producerEpoch'?: (number);
}

export interface InitTransactionsResponse__Output {
  'errorCode': (string);
  'errorMessage': (string);
  'producerId': (number);
  'producerEpoch': (number);
}
