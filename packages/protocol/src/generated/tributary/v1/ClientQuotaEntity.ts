// Original file: protos/tributary/v1/controller.proto

import type { ClientQuotaEntityPart as _tributary_v1_ClientQuotaEntityPart, ClientQuotaEntityPart__Output as _tributary_v1_ClientQuotaEntityPart__Output } from '../../tributary/v1/ClientQuotaEntityPart.js';

/**
 * Who a quota applies to: a user and/or a client id; an unset part is not part of the entity.
 */
export interface ClientQuotaEntity {
  'user'?: (_tributary_v1_ClientQuotaEntityPart | null);
  'clientId'?: (_tributary_v1_ClientQuotaEntityPart | null);
}

/**
 * Who a quota applies to: a user and/or a client id; an unset part is not part of the entity.
 */
export interface ClientQuotaEntity__Output {
  'user': (_tributary_v1_ClientQuotaEntityPart__Output | null);
  'clientId': (_tributary_v1_ClientQuotaEntityPart__Output | null);
}
