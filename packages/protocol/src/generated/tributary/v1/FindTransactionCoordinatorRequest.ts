// Original file: protos/tributary/v1/transactions.proto


export interface FindTransactionCoordinatorRequest {
  'transactionalId'?: (string);
}

export interface FindTransactionCoordinatorRequest__Output {
  'transactionalId': (string);
}
