// Original file: protos/tributary/v1/transactions.proto


export interface EndTxnResponse {
  'errorCode'?: (string);
  'errorMessage'?: (string);
}

export interface EndTxnResponse__Output {
  'errorCode': (string);
  'errorMessage': (string);
}
