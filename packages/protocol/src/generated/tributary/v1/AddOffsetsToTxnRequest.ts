// Original file: protos/tributary/v1/transactions.proto

import type { Long } from '@grpc/proto-loader';

export interface AddOffsetsToTxnRequest {
  'transactionalId'?: (string);
  'producerId'?: (number | string | Long);
  'producerEpoch'?: (number);
  'groupId'?: (string);
}

export interface AddOffsetsToTxnRequest__Output {
  'transactionalId': (string);
  'producerId': (number);
  'producerEpoch': (number);
  'groupId': (string);
}
