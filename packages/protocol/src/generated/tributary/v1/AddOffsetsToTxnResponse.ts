// Original file: protos/tributary/v1/transactions.proto


export interface AddOffsetsToTxnResponse {
  'errorCode'?: (string);
  'errorMessage'?: (string);
}

export interface AddOffsetsToTxnResponse__Output {
  'errorCode': (string);
  'errorMessage': (string);
}
