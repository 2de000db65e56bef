// Original file: protos/tributary/v1/controller.proto

import type { QuotaFilterComponent as _tributary_v1_QuotaFilterComponent, QuotaFilterComponent__Output as _tributary_v1_QuotaFilterComponent__Output } from '../../tributary/v1/QuotaFilterComponent.js';

export interface DescribeClientQuotasRequest {
  /**
   * No component: every entity (none with strict).
   */
  'components'?: (_tributary_v1_QuotaFilterComponent)[];
  /**
   * Only entities with no part besides the filtered ones.
   */
  'strict'?: (boolean);
}

export interface DescribeClientQuotasRequest__Output {
  /**
   * No component: every entity (none with strict).
   */
  'components': (_tributary_v1_QuotaFilterComponent__Output)[];
  /**
   * Only entities with no part besides the filtered ones.
   */
  'strict': (boolean);
}
