// Original file: protos/tributary/v1/auth.proto

import type { Long } from '@grpc/proto-loader';

export interface ScramFinishResponse {
  /**
   * The server-final message (`v=SIGNATURE`): the client checks that the server knows the key.
   */
  'serverFinal'?: (Buffer | Uint8Array | string);
  /**
   * Opaque; sent as `authorization: Bearer <session_token>`.
   */
  'sessionToken'?: (string);
  /**
   * How long the session stays valid from now (relative, so clocks need not agree).
   */
  'sessionLifetimeMs'?: (number | string | Long);
}

export interface ScramFinishResponse__Output {
  /**
   * The server-final message (`v=SIGNATURE`): the client checks that the server knows the key.
   */
  'serverFinal': (Buffer);
  /**
   * Opaque; sent as `authorization: Bearer <session_token>`.
   */
  'sessionToken': (string);
  /**
   * How long the session stays valid from now (relative, so clocks need not agree).
   */
  'sessionLifetimeMs': (number);
}
