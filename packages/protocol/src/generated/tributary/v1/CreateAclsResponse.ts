// Original file: protos/tributary/v1/controller.proto

import type { AclCreationResult as _tributary_v1_AclCreationResult, AclCreationResult__Output as _tributary_v1_AclCreationResult__Output } from '../../tributary/v1/AclCreationResult.js';

export interface CreateAclsResponse {
  /**
   * One per creation, in request order.
   */
  'results'?: (_tributary_v1_AclCreationResult)[];
}

export interface CreateAclsResponse__Output {
  /**
   * One per creation, in request order.
   */
  'results': (_tributary_v1_AclCreationResult__Output)[];
}
