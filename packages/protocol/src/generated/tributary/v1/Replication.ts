// Original file: protos/tributary/v1/replication.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ReplicaFetchRequest as _tributary_v1_ReplicaFetchRequest, ReplicaFetchRequest__Output as _tributary_v1_ReplicaFetchRequest__Output } from '../../tributary/v1/ReplicaFetchRequest.js';
import type { ReplicaFetchResponse as _tributary_v1_ReplicaFetchResponse, ReplicaFetchResponse__Output as _tributary_v1_ReplicaFetchResponse__Output } from '../../tributary/v1/ReplicaFetchResponse.js';
import type { ReplicaFetchStreamResponse as _tributary_v1_ReplicaFetchStreamResponse, ReplicaFetchStreamResponse__Output as _tributary_v1_ReplicaFetchStreamResponse__Output } from '../../tributary/v1/ReplicaFetchStreamResponse.js';

/**
 * Broker-to-broker replication: followers pull from the leader (DESIGN §6). Apart from broker.proto so that
 * the data plane between brokers can change without touching the client-facing services.
 */
export interface ReplicationClient extends grpc.Client {
  ReplicaFetch(argument: _tributary_v1_ReplicaFetchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ReplicaFetchResponse__Output>): grpc.ClientUnaryCall;
  ReplicaFetch(argument: _tributary_v1_ReplicaFetchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ReplicaFetchResponse__Output>): grpc.ClientUnaryCall;
  ReplicaFetch(argument: _tributary_v1_ReplicaFetchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ReplicaFetchResponse__Output>): grpc.ClientUnaryCall;
  ReplicaFetch(argument: _tributary_v1_ReplicaFetchRequest, callback: grpc.requestCallback<_tributary_v1_ReplicaFetchResponse__Output>): grpc.ClientUnaryCall;
  replicaFetch(argument: _tributary_v1_ReplicaFetchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ReplicaFetchResponse__Output>): grpc.ClientUnaryCall;
  replicaFetch(argument: _tributary_v1_ReplicaFetchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_ReplicaFetchResponse__Output>): grpc.ClientUnaryCall;
  replicaFetch(argument: _tributary_v1_ReplicaFetchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_ReplicaFetchResponse__Output>): grpc.ClientUnaryCall;
  replicaFetch(argument: _tributary_v1_ReplicaFetchRequest, callback: grpc.requestCallback<_tributary_v1_ReplicaFetchResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The same fetch over one long-lived stream per follower and leader (issue 15): requests and responses
   * alternate, each request acknowledging the data of the previous response (its fetch offsets) and asking for
   * the next, so the leader advances the high watermark without a new call per round. A request that fails is
   * answered with its error and the stream stays open. Leaders without it answer UNIMPLEMENTED: followers then
   * use ReplicaFetch.
   */
  ReplicaFetchStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_tributary_v1_ReplicaFetchRequest, _tributary_v1_ReplicaFetchStreamResponse__Output>;
  ReplicaFetchStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_tributary_v1_ReplicaFetchRequest, _tributary_v1_ReplicaFetchStreamResponse__Output>;
  /**
   * The same fetch over one long-lived stream per follower and leader (issue 15): requests and responses
   * alternate, each request acknowledging the data of the previous response (its fetch offsets) and asking for
   * the next, so the leader advances the high watermark without a new call per round. A request that fails is
   * answered with its error and the stream stays open. Leaders without it answer UNIMPLEMENTED: followers then
   * use ReplicaFetch.
   */
  replicaFetchStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_tributary_v1_ReplicaFetchRequest, _tributary_v1_ReplicaFetchStreamResponse__Output>;
  replicaFetchStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_tributary_v1_ReplicaFetchRequest, _tributary_v1_ReplicaFetchStreamResponse__Output>;
  
}

/**
 * Broker-to-broker replication: followers pull from the leader (DESIGN §6). Apart from broker.proto so that
 * the data plane between brokers can change without touching the client-facing services.
 */
export interface ReplicationHandlers extends grpc.UntypedServiceImplementation {
  ReplicaFetch: grpc.handleUnaryCall<_tributary_v1_ReplicaFetchRequest__Output, _tributary_v1_ReplicaFetchResponse>;
  
  /**
   * The same fetch over one long-lived stream per follower and leader (issue 15): requests and responses
   * alternate, each request acknowledging the data of the previous response (its fetch offsets) and asking for
   * the next, so the leader advances the high watermark without a new call per round. A request that fails is
   * answered with its error and the stream stays open. Leaders without it answer UNIMPLEMENTED: followers then
   * use ReplicaFetch.
   */
  ReplicaFetchStream: grpc.handleBidiStreamingCall<_tributary_v1_ReplicaFetchRequest__Output, _tributary_v1_ReplicaFetchStreamResponse>;
  
}

export interface ReplicationDefinition extends grpc.ServiceDefinition {
  ReplicaFetch: MethodDefinition<_tributary_v1_ReplicaFetchRequest, _tributary_v1_ReplicaFetchResponse, _tributary_v1_ReplicaFetchRequest__Output, _tributary_v1_ReplicaFetchResponse__Output>
  ReplicaFetchStream: MethodDefinition<_tributary_v1_ReplicaFetchRequest, _tributary_v1_ReplicaFetchStreamResponse, _tributary_v1_ReplicaFetchRequest__Output, _tributary_v1_ReplicaFetchStreamResponse__Output>
}
