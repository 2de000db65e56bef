// Original file: protos/tributary/v1/controller.proto

import type { AclFilter as _tributary_v1_AclFilter, AclFilter__Output as _tributary_v1_AclFilter__Output } from '../../tributary/v1/AclFilter.js';

export interface DescribeAclsRequest {
  /**
   * Unset: every ACL.
   */
  'filter'?: (_tributary_v1_AclFilter | null);
}

export interface DescribeAclsRequest__Output {
  /**
   * Unset: every ACL.
   */
  'filter': (_tributary_v1_AclFilter__Output | null);
}
