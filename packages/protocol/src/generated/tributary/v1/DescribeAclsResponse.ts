// Original file: protos/tributary/v1/controller.proto

import type { AclBinding as _tributary_v1_AclBinding, AclBinding__Output as _tributary_v1_AclBinding__Output } from '../../tributary/v1/AclBinding.js';

export interface DescribeAclsResponse {
  'acls'?: (_tributary_v1_AclBinding)[];
}

export interface DescribeAclsResponse__Output {
  'acls': (_tributary_v1_AclBinding__Output)[];
}
