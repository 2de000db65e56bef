// Original file: protos/tributary/v1/controller.proto

import type { AclFilter as _tributary_v1_AclFilter, AclFilter__Output as _tributary_v1_AclFilter__Output } from '../../tributary/v1/AclFilter.js';

export interface DeleteAclsRequest {
  'filters'?: (_tributary_v1_AclFilter)[];
}

export interface DeleteAclsRequest__Output {
  'filters': (_tributary_v1_AclFilter__Output)[];
}
