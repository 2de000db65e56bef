// Original file: protos/tributary/v1/controller.proto

import type { QuotaEntityResult as _tributary_v1_QuotaEntityResult, QuotaEntityResult__Output as _tributary_v1_QuotaEntityResult__Output } from '../../tributary/v1/QuotaEntityResult.js';

export interface AlterClientQuotasResponse {
  /**
   * One per entry, in request order.
   */
  'results'?: (_tributary_v1_QuotaEntityResult)[];
}

export interface AlterClientQuotasResponse__Output {
  /**
   * One per entry, in request order.
   */
  'results': (_tributary_v1_QuotaEntityResult__Output)[];
}
