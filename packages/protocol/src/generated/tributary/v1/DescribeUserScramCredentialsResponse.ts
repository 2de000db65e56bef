// Original file: protos/tributary/v1/controller.proto

import type { DescribedScramUser as _tributary_v1_DescribedScramUser, DescribedScramUser__Output as _tributary_v1_DescribedScramUser__Output } from '../../tributary/v1/DescribedScramUser.js';

export interface DescribeUserScramCredentialsResponse {
  'results'?: (_tributary_v1_DescribedScramUser)[];
}

export interface DescribeUserScramCredentialsResponse__Output {
  'results': (_tributary_v1_DescribedScramUser__Output)[];
}
