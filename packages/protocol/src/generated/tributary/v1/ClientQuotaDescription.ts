// Original file: protos/tributary/v1/controller.proto

import type { ClientQuotaEntity as _tributary_v1_ClientQuotaEntity, ClientQuotaEntity__Output as _tributary_v1_ClientQuotaEntity__Output } from '../../tributary/v1/ClientQuotaEntity.js';
import type { QuotaValue as _tributary_v1_QuotaValue, QuotaValue__Output as _tributary_v1_QuotaValue__Output } from '../../tributary/v1/QuotaValue.js';

export interface ClientQuotaDescription {
  'entity'?: (_tributary_v1_ClientQuotaEntity | null);
  'values'?: (_tributary_v1_QuotaValue)[];
}

export interface ClientQuotaDescription__Output {
  'entity': (_tributary_v1_ClientQuotaEntity__Output | null);
  'values': (_tributary_v1_QuotaValue__Output)[];
}
