// Original file: protos/tributary/v1/transactions.proto


export interface TxnPartitionResult {
  'topic'?: (string);
  'partition'?: (number);
  'errorCode'?: (string);
  'errorMessage'?: (string);
}

export interface TxnPartitionResult__Output {
  'topic': (string);
  'partition': (number);
  'errorCode': (string);
  'errorMessage': (string);
}
