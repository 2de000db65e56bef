// Original file: protos/tributary/v1/controller.proto

import type { AclBinding as _tributary_v1_AclBinding, AclBinding__Output as _tributary_v1_AclBinding__Output } from '../../tributary/v1/AclBinding.js';

export interface DeleteAclsFilterResult {
  'errorCode'?: (string);
  'errorMessage'?: (string);
  /**
   * The ACLs this filter removed (an ACL two filters match is removed and listed once, under the first).
   */
  'deleted'?: (_tributary_v1_AclBinding)[];
}

export interface DeleteAclsFilterResult__Output {
  'errorCode': (string);
  'errorMessage': (string);
  /**
   * The ACLs this filter removed (an ACL two filters match is removed and listed once, under the first).
   */
  'deleted': (_tributary_v1_AclBinding__Output)[];
}
