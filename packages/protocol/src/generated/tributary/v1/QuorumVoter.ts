// Original file: protos/tributary/v1/controller.proto

import type { Long } from '@grpc/proto-loader';

export interface QuorumVoter {
  'id'?: (number);
  'address'?: (string);
  /**
   * Only the leader knows these; 0 elsewhere.
   */
  'matchIndex'?: (number | string | Long);
  'lag'?: (number | string | Long);
  /**
   * Milliseconds since the leader last heard from this voter; -1 when unknown.
   */
  'lastContactMsAgo'?: (number | string | Long);
}

export interface QuorumVoter__Output {
  'id': (number);
  'address': (string);
  /**
   * Only the leader knows these; 0 elsewhere.
   */
  'matchIndex': (number);
  'lag': (number);
  /**
   * Milliseconds since the leader last heard from this voter; -1 when unknown.
   */
  'lastContactMsAgo': (number);
}
