// Original file: protos/tributary/v1/auth.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ScramFinishRequest as _tributary_v1_ScramFinishRequest, ScramFinishRequest__Output as _tributary_v1_ScramFinishRequest__Output } from '../../tributary/v1/ScramFinishRequest.js';
import type { ScramFinishResponse as _tributary_v1_ScramFinishResponse, ScramFinishResponse__Output as _tributary_v1_ScramFinishResponse__Output } from '../../tributary/v1/ScramFinishResponse.js';
import type { ScramStartRequest as _tributary_v1_ScramStartRequest, ScramStartRequest__Output as _tributary_v1_ScramStartRequest__Output } from '../../tributary/v1/ScramStartRequest.js';
import type { ScramStartResponse as _tributary_v1_ScramStartResponse, ScramStartResponse__Output as _tributary_v1_ScramStartResponse__Output } from '../../tributary/v1/ScramStartResponse.js';

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
export interface AuthClient extends grpc.Client {
  /**
   * SCRAM client-final -> server-final and the session.
   */
  ScramFinish(argument: _tributary_v1_ScramFinishRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ScramFinishResponse__Output>): grpc.ClientUnaryCall;
  ScramFinish(argument: _tributary_v1_ScramFinishRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ScramFinishResponse__Output>): grpc.ClientUnaryCall;
  ScramFinish(argument: _tributary_v1_ScramFinishRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ScramFinishResponse__Output>): grpc.ClientUnaryCall;
  ScramFinish(argument: _tributary_v1_ScramFinishRequest, callback: grpc.requestCallback<_tributary_v1_ScramFinishResponse__Output>): grpc.ClientUnaryCall;
  /**
   * SCRAM client-final -> server-final and the session.
   */
  scramFinish(argument: _tributary_v1_ScramFinishRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ScramFinishResponse__Output>): grpc.ClientUnaryCall;
  scramFinish(argument: _tributary_v1_ScramFinishRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ScramFinishResponse__Output>): grpc.ClientUnaryCall;
  scramFinish(argument: _tributary_v1_ScramFinishRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ScramFinishResponse__Output>): grpc.ClientUnaryCall;
  scramFinish(argument: _tributary_v1_ScramFinishRequest, callback: grpc.requestCallback<_tributary_v1_ScramFinishResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * SCRAM client-first -> server-first.
   */
  ScramStart(argument: _tributary_v1_ScramStartRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ScramStartResponse__Output>): grpc.ClientUnaryCall;
  ScramStart(argument: _tributary_v1_ScramStartRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ScramStartResponse__Output>): grpc.ClientUnaryCall;
  ScramStart(argument: _tributary_v1_ScramStartRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ScramStartResponse__Output>): grpc.ClientUnaryCall;
  ScramStart(argument: _tributary_v1_ScramStartRequest, callback: grpc.requestCallback<_tributary_v1_ScramStartResponse__Output>): grpc.ClientUnaryCall;
  /**
   * SCRAM client-first -> server-first.
   */
  scramStart(argument: _tributary_v1_ScramStartRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ScramStartResponse__Output>): grpc.ClientUnaryCall;
  scramStart(argument: _tributary_v1_ScramStartRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ScramStartResponse__Output>): grpc.ClientUnaryCall;
  scramStart(argument: _tributary_v1_ScramStartRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ScramStartResponse__Output>): grpc.ClientUnaryCall;
  scramStart(argument: _tributary_v1_ScramStartRequest, callback: grpc.requestCallback<_tributary_v1_ScramStartResponse__Output>): grpc.ClientUnaryCall;
  
}

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
export interface AuthHandlers extends grpc.UntypedServiceImplementation {
  /**
   * SCRAM client-final -> server-final and the session.
   */
  ScramFinish: grpc.handleUnaryCall<_tributary_v1_ScramFinishRequest__Output, _tributary_v1_ScramFinishResponse>;
  
  /**
   * SCRAM client-first -> server-first.
   */
  ScramStart: grpc.handleUnaryCall<_tributary_v1_ScramStartRequest__Output, _tributary_v1_ScramStartResponse>;
  
}

export interface AuthDefinition extends grpc.ServiceDefinition {
  ScramFinish: MethodDefinition<_tributary_v1_ScramFinishRequest, _tributary_v1_ScramFinishResponse, _tributary_v1_ScramFinishRequest__Output, _tributary_v1_ScramFinishResponse__Output>
  ScramStart: MethodDefinition<_tributary_v1_ScramStartRequest, _tributary_v1_ScramStartResponse, _tributary_v1_ScramStartRequest__Output, _tributary_v1_ScramStartResponse__Output>
}
