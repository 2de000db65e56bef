// Original file: protos/tributary/v1/controller.proto

import type { DeleteAclsFilterResult as _tributary_v1_DeleteAclsFilterResult, DeleteAclsFilterResult__Output as _tributary_v1_DeleteAclsFilterResult__Output } from '../../tributary/v1/DeleteAclsFilterResult.js';

export interface DeleteAclsResponse {
  /**
   * One per filter, in request order.
   */
  'results'?: (_tributary_v1_DeleteAclsFilterResult)[];
}

export interface DeleteAclsResponse__Output {
  /**
   * One per filter, in request order.
   */
  'results': (_tributary_v1_DeleteAclsFilterResult__Output)[];
}
