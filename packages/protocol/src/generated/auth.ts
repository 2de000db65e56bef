import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AuthClient as _tributary_v1_AuthClient, AuthDefinition as _tributary_v1_AuthDefinition } from './tributary/v1/Auth.js';
import type { ScramFinishRequest as _tributary_v1_ScramFinishRequest, ScramFinishRequest__Output as _tributary_v1_ScramFinishRequest__Output } from './tributary/v1/ScramFinishRequest.js';
import type { ScramFinishResponse as _tributary_v1_ScramFinishResponse, ScramFinishResponse__Output as _tributary_v1_ScramFinishResponse__Output } from './tributary/v1/ScramFinishResponse.js';
import type { ScramStartRequest as _tributary_v1_ScramStartRequest, ScramStartRequest__Output as _tributary_v1_ScramStartRequest__Output } from './tributary/v1/ScramStartRequest.js';
import type { ScramStartResponse as _tributary_v1_ScramStartResponse, ScramStartResponse__Output as _tributary_v1_ScramStartResponse__Output } from './tributary/v1/ScramStartResponse.js';

type SubtypeConstructor<Constructor extends new (...args: never[]) => unknown, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  tributary: {
    v1: {
      /**
       * Authentication on the gRPC API (DESIGN §10), served by every broker and controller and reachable without
       * credentials. A SCRAM-SHA-256/512 exchange (RFC 5802/7677) in two unary steps yields a session token: the
       * key derivation is paid once per session, not on every call. Calls then carry
       * `authorization: Bearer <token>` in their metadata. A session is valid on the process that made it only,
       * until it expires or the user's credential it was made from is deleted or changed.
       * 
       * A failed exchange is UNAUTHENTICATED with `tributary-error-code: SASL_AUTHENTICATION_FAILED` (one message
       * whether the user exists or not). A call whose token is unknown or expired is UNAUTHENTICATED with the
       * trailer `tributary-session: invalid`: the client authenticates again and retries once.
       */
      Auth: SubtypeConstructor<typeof grpc.Client, _tributary_v1_AuthClient> & { service: _tributary_v1_AuthDefinition }
      ScramFinishRequest: MessageTypeDefinition<_tributary_v1_ScramFinishRequest, _tributary_v1_ScramFinishRequest__Output>
      ScramFinishResponse: MessageTypeDefinition<_tributary_v1_ScramFinishResponse, _tributary_v1_ScramFinishResponse__Output>
      ScramStartRequest: MessageTypeDefinition<_tributary_v1_ScramStartRequest, _tributary_v1_ScramStartRequest__Output>
      ScramStartResponse: MessageTypeDefinition<_tributary_v1_ScramStartResponse, _tributary_v1_ScramStartResponse__Output>
    }
  }
}

