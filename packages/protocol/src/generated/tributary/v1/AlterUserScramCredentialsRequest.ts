// Original file: protos/tributary/v1/controller.proto

import type { ScramCredentialDeletion as _tributary_v1_ScramCredentialDeletion, ScramCredentialDeletion__Output as _tributary_v1_ScramCredentialDeletion__Output } from '../../tributary/v1/ScramCredentialDeletion.js';
import type { ScramCredentialUpsertion as _tributary_v1_ScramCredentialUpsertion, ScramCredentialUpsertion__Output as _tributary_v1_ScramCredentialUpsertion__Output } from '../../tributary/v1/ScramCredentialUpsertion.js';

export interface AlterUserScramCredentialsRequest {
  'deletions'?: (_tributary_v1_ScramCredentialDeletion)[];
  'upsertions'?: (_tributary_v1_ScramCredentialUpsertion)[];
}

export interface AlterUserScramCredentialsRequest__Output {
  'deletions': (_tributary_v1_ScramCredentialDeletion__Output)[];
  'upsertions': (_tributary_v1_ScramCredentialUpsertion__Output)[];
}
