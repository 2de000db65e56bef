// Original file: protos/tributary/v1/controller.proto

import type { ScramUserResult as _tributary_v1_ScramUserResult, ScramUserResult__Output as _tributary_v1_ScramUserResult__Output } from '../../tributary/v1/ScramUserResult.js';

export interface AlterUserScramCredentialsResponse {
  /**
   * One per user named in the request.
   */
  'results'?: (_tributary_v1_ScramUserResult)[];
}

export interface AlterUserScramCredentialsResponse__Output {
  /**
   * One per user named in the request.
   */
  'results': (_tributary_v1_ScramUserResult__Output)[];
}
