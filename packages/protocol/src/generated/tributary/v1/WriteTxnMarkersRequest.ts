// Original file: protos/tributary/v1/transactions.proto

import type { TxnMarker as _tributary_v1_TxnMarker, TxnMarker__Output as _tributary_v1_TxnMarker__Output } from '../../tributary/v1/TxnMarker.js';

export interface WriteTxnMarkersRequest {
  'markers'?: (_tributary_v1_TxnMarker)[];
}

export interface WriteTxnMarkersRequest__Output {
  'markers': (_tributary_v1_TxnMarker__Output)[];
}
