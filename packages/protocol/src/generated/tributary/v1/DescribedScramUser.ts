// Original file: protos/tributary/v1/controller.proto

import type { ScramCredentialInfo as _tributary_v1_ScramCredentialInfo, ScramCredentialInfo__Output as _tributary_v1_ScramCredentialInfo__Output } from '../../tributary/v1/ScramCredentialInfo.js';

export interface DescribedScramUser {
  'user'?: (string);
  /**
   * RESOURCE_NOT_FOUND for an unknown user, DUPLICATE_RESOURCE for one named twice.
   */
  'errorCode'?: (string);
  'errorMessage'?: (string);
  /**
   * Mechanisms and iterations only: salts and keys never leave the controller.
   */
  'credentials'?: (_tributary_v1_ScramCredentialInfo)[];
}

export interface DescribedScramUser__Output {
  'user': (string);
  /**
   * RESOURCE_NOT_FOUND for an unknown user, DUPLICATE_RESOURCE for one named twice.
   */
  'errorCode': (string);
  'errorMessage': (string);
  /**
   * Mechanisms and iterations only: salts and keys never leave the controller.
   */
  'credentials': (_tributary_v1_ScramCredentialInfo__Output)[];
}
