// Original file: protos/tributary/v1/transactions.proto

import type { Long } from '@grpc/proto-loader';

export interface TransactionListing {
  'transactionalId'?: (string);
  'producerId'?: (number | string | Long);
  'state'?: (string);
}

export interface TransactionListing__Output {
  'transactionalId': (string);
  'producerId': (number);
  'state': (string);
}
