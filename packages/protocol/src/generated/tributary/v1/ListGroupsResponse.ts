// Original file: protos/tributary/v1/group.proto

import type { GroupListing as _tributary_v1_GroupListing, GroupListing__Output as _tributary_v1_GroupListing__Output } from '../../tributary/v1/GroupListing.js';

export interface ListGroupsResponse {
  'errorCode'?: (string);
  'errorMessage'?: (string);
  'groups'?: (_tributary_v1_GroupListing)[];
}

export interface ListGroupsResponse__Output {
  'errorCode': (string);
  'errorMessage': (string);
  'groups': (_tributary_v1_GroupListing__Output)[];
}
