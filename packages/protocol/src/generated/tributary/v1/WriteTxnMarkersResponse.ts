// Original file: protos/tributary/v1/transactions.proto

import type { TxnMarkerResult as _tributary_v1_TxnMarkerResult, TxnMarkerResult__Output as _tributary_v1_TxnMarkerResult__Output } from '../../tributary/v1/TxnMarkerResult.js';

export interface WriteTxnMarkersResponse {
  'markers'?: (_tributary_v1_TxnMarkerResult)[];
}

export interface WriteTxnMarkersResponse__Output {
  'markers': (_tributary_v1_TxnMarkerResult__Output)[];
}
