// Original file: protos/tributary/v1/controller.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { FetchMetadataEvent as _tributary_v1_FetchMetadataEvent, FetchMetadataEvent__Output as _tributary_v1_FetchMetadataEvent__Output } from '../../tributary/v1/FetchMetadataEvent.js';
import type { FetchMetadataRequest as _tributary_v1_FetchMetadataRequest, FetchMetadataRequest__Output as _tributary_v1_FetchMetadataRequest__Output } from '../../tributary/v1/FetchMetadataRequest.js';

/**
 * The committed metadata log for brokers (and the CLI): records from an offset, or a snapshot first
 * when that offset has been compacted away.
 */
export interface MetadataStreamClient extends grpc.Client {
  FetchMetadata(argument: _tributary_v1_FetchMetadataRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tributary_v1_FetchMetadataEvent__Output>;
  FetchMetadata(argument: _tributary_v1_FetchMetadataRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tributary_v1_FetchMetadataEvent__Output>;
  fetchMetadata(argument: _tributary_v1_FetchMetadataRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tributary_v1_FetchMetadataEvent__Output>;
  fetchMetadata(argument: _tributary_v1_FetchMetadataRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_tributary_v1_FetchMetadataEvent__Output>;
  
}

/**
 * The committed metadata log for brokers (and the CLI): records from an offset, or a snapshot first
 * when that offset has been compacted away.
 */
export interface MetadataStreamHandlers extends grpc.UntypedServiceImplementation {
  FetchMetadata: grpc.handleServerStreamingCall<_tributary_v1_FetchMetadataRequest__Output, _tributary_v1_FetchMetadataEvent>;
  
}

export interface MetadataStreamDefinition extends grpc.ServiceDefinition {
  FetchMetadata: MethodDefinition<_tributary_v1_FetchMetadataRequest, _tributary_v1_FetchMetadataEvent, _tributary_v1_FetchMetadataRequest__Output, _tributary_v1_FetchMetadataEvent__Output>
}
