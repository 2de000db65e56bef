// Original file: protos/tributary/v1/controller.proto

import type { ClientQuotaEntity as _tributary_v1_ClientQuotaEntity, ClientQuotaEntity__Output as _tributary_v1_ClientQuotaEntity__Output } from '../../tributary/v1/ClientQuotaEntity.js';
import type { QuotaOp as _tributary_v1_QuotaOp, QuotaOp__Output as _tributary_v1_QuotaOp__Output } from '../../tributary/v1/QuotaOp.js';

export interface QuotaAlteration {
  'entity'?: (_tributary_v1_ClientQuotaEntity | null);
  'ops'?: (_tributary_v1_QuotaOp)[];
}

export interface QuotaAlteration__Output {
  'entity': (_tributary_v1_ClientQuotaEntity__Output | null);
  'ops': (_tributary_v1_QuotaOp__Output)[];
}
