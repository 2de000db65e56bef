// Original file: protos/tributary/v1/group.proto

import type { CommittedOffset as _tributary_v1_CommittedOffset, CommittedOffset__Output as _tributary_v1_CommittedOffset__Output } from '../../tributary/v1/CommittedOffset.js';

export interface OffsetFetchResponse {
  'errorCode'?: (string);
  'errorMessage'?: (string);
  'offsets'?: (_tributary_v1_CommittedOffset)[];
}

export interface OffsetFetchResponse__Output {
  'errorCode': (string);
  'errorMessage': (string);
  'offsets': (_tributary_v1_CommittedOffset__Output)[];
}
