// Original file: protos/tributary/v1/controller.proto

import type { QuotaAlteration as _tributary_v1_QuotaAlteration, QuotaAlteration__Output as _tributary_v1_QuotaAlteration__Output } from '../../tributary/v1/QuotaAlteration.js';

export interface AlterClientQuotasRequest {
  'entries'?: (_tributary_v1_QuotaAlteration)[];
  'validateOnly'?: (boolean);
}

export interface AlterClientQuotasRequest__Output {
  'entries': (_tributary_v1_QuotaAlteration__Output)[];
  'validateOnly': (boolean);
}
