// Original file: protos/tributary/v1/transactions.proto

import type { TransactionDescription as _tributary_v1_TransactionDescription, TransactionDescription__Output as _tributary_v1_TransactionDescription__Output } from '../../tributary/v1/TransactionDescription.js';

export interface DescribeTransactionsResponse {
  'transactions'?: (_tributary_v1_TransactionDescription)[];
}

export interface DescribeTransactionsResponse__Output {
  'transactions': (_tributary_v1_TransactionDescription__Output)[];
}
