// Original file: protos/tributary/v1/controller.proto

import type { AclBinding as _tributary_v1_AclBinding, AclBinding__Output as _tributary_v1_AclBinding__Output } from '../../tributary/v1/AclBinding.js';

export interface CreateAclsRequest {
  'creations'?: (_tributary_v1_AclBinding)[];
}

export interface CreateAclsRequest__Output {
  'creations': (_tributary_v1_AclBinding__Output)[];
}
