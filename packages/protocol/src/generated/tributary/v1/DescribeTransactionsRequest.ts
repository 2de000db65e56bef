// Original file: protos/tributary/v1/transactions.proto


export interface DescribeTransactionsRequest {
  'transactionalIds'?: (string)[];
}

export interface DescribeTransactionsRequest__Output {
  'transactionalIds': (string)[];
}
