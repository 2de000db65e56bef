// Original file: protos/tributary/v1/controller.proto

import type { ClientQuotaEntity as _tributary_v1_ClientQuotaEntity, ClientQuotaEntity__Output as _tributary_v1_ClientQuotaEntity__Output } from '../../tributary/v1/ClientQuotaEntity.js';

export interface QuotaEntityResult {
  'entity'?: (_tributary_v1_ClientQuotaEntity | null);
  'errorCode'?: (string);
  'errorMessage'?: (string);
}

export interface QuotaEntityResult__Output {
  'entity': (_tributary_v1_ClientQuotaEntity__Output | null);
  'errorCode': (string);
  'errorMessage': (string);
}
