// Original file: protos/tributary/v1/transactions.proto

import type { TransactionListing as _tributary_v1_TransactionListing, TransactionListing__Output as _tributary_v1_TransactionListing__Output } from '../../tributary/v1/TransactionListing.js';

export interface ListTransactionsResponse {
  'transactions'?: (_tributary_v1_TransactionListing)[];
}

export interface ListTransactionsResponse__Output {
  'transactions': (_tributary_v1_TransactionListing__Output)[];
}
