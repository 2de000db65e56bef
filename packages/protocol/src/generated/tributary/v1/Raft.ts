// Original file: protos/tributary/v1/raft.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { RaftMessageBatch as _tributary_v1_RaftMessageBatch, RaftMessageBatch__Output as _tributary_v1_RaftMessageBatch__Output } from '../../tributary/v1/RaftMessageBatch.js';
import type { RaftSnapshotChunk as _tributary_v1_RaftSnapshotChunk, RaftSnapshotChunk__Output as _tributary_v1_RaftSnapshotChunk__Output } from '../../tributary/v1/RaftSnapshotChunk.js';
import type { RaftStepResponse as _tributary_v1_RaftStepResponse, RaftStepResponse__Output as _tributary_v1_RaftStepResponse__Output } from '../../tributary/v1/RaftStepResponse.js';

/**
 * Raft between controllers. The core (packages/raft) is pure; this is only its transport.
 * Messages are batched per peer; snapshots travel as a client stream of chunks because a metadata
 * image can exceed one gRPC message.
 */
export interface RaftClient extends grpc.Client {
  /**
   * Delivers one InstallSnapshot message whose snapshot data is split across chunks.
   */
  InstallSnapshot(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_RaftStepResponse__Output>): grpc.ClientWritableStream<_tributary_v1_RaftSnapshotChunk>;
  InstallSnapshot(metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_RaftStepResponse__Output>): grpc.ClientWritableStream<_tributary_v1_RaftSnapshotChunk>;
  InstallSnapshot(options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_RaftStepResponse__Output>): grpc.ClientWritableStream<_tributary_v1_RaftSnapshotChunk>;
  InstallSnapshot(callback: grpc.requestCallback<_tributary_v1_RaftStepResponse__Output>): grpc.ClientWritableStream<_tributary_v1_RaftSnapshotChunk>;
  /**
   * Delivers one InstallSnapshot message whose snapshot data is split across chunks.
   */
  installSnapshot(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_RaftStepResponse__Output>): grpc.ClientWritableStream<_tributary_v1_RaftSnapshotChunk>;
  installSnapshot(metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_RaftStepResponse__Output>): grpc.ClientWritableStream<_tributary_v1_RaftSnapshotChunk>;
  installSnapshot(options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_RaftStepResponse__Output>): grpc.ClientWritableStream<_tributary_v1_RaftSnapshotChunk>;
  installSnapshot(callback: grpc.requestCallback<_tributary_v1_RaftStepResponse__Output>): grpc.ClientWritableStream<_tributary_v1_RaftSnapshotChunk>;
  
  /**
   * Delivers a batch of Raft messages addressed to the receiving controller. Fire-and-forget: Raft
   * tolerates loss, so the response only says the batch was taken.
   */
  Step(argument: _tributary_v1_RaftMessageBatch, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_RaftStepResponse__Output>): grpc.ClientUnaryCall;
  Step(argument: _tributary_v1_RaftMessageBatch, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_RaftStepResponse__Output>): grpc.ClientUnaryCall;
  Step(argument: _tributary_v1_RaftMessageBatch, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_RaftStepResponse__Output>): grpc.ClientUnaryCall;
  Step(argument: _tributary_v1_RaftMessageBatch, callback: grpc.requestCallback<_tributary_v1_RaftStepResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Delivers a batch of Raft messages addressed to the receiving controller. Fire-and-forget: Raft
   * tolerates loss, so the response only says the batch was taken.
   */
  step(argument: _tributary_v1_RaftMessageBatch, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_RaftStepResponse__Output>): grpc.ClientUnaryCall;
  step(argument: _tributary_v1_RaftMessageBatch, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_RaftStepResponse__Output>): grpc.ClientUnaryCall;
  step(argument: _tributary_v1_RaftMessageBatch, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_RaftStepResponse__Output>): grpc.ClientUnaryCall;
  step(argument: _tributary_v1_RaftMessageBatch, callback: grpc.requestCallback<_tributary_v1_RaftStepResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Raft between controllers. The core (packages/raft) is pure; this is only its transport.
 * Messages are batched per peer; snapshots travel as a client stream of chunks because a metadata
 * image can exceed one gRPC message.
 */
export interface RaftHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Delivers one InstallSnapshot message whose snapshot data is split across chunks.
   */
  InstallSnapshot: grpc.handleClientStreamingCall<_tributary_v1_RaftSnapshotChunk__Output, _tributary_v1_RaftStepResponse>;
  
  /**
   * Delivers a batch of Raft messages addressed to the receiving controller. Fire-and-forget: Raft
   * tolerates loss, so the response only says the batch was taken.
   */
  Step: grpc.handleUnaryCall<_tributary_v1_RaftMessageBatch__Output, _tributary_v1_RaftStepResponse>;
  
}

export interface RaftDefinition extends grpc.ServiceDefinition {
  InstallSnapshot: MethodDefinition<_tributary_v1_RaftSnapshotChunk, _tributary_v1_RaftStepResponse, _tributary_v1_RaftSnapshotChunk__Output, _tributary_v1_RaftStepResponse__Output>
  Step: MethodDefinition<_tributary_v1_RaftMessageBatch, _tributary_v1_RaftStepResponse, _tributary_v1_RaftMessageBatch__Output, _tributary_v1_RaftStepResponse__Output>
}
