// Original file: protos/tributary/v1/controller.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AllocateProducerIdsRequest as _tributary_v1_AllocateProducerIdsRequest, AllocateProducerIdsRequest__Output as _tributary_v1_AllocateProducerIdsRequest__Output } from '../../tributary/v1/AllocateProducerIdsRequest.js';
import type { AllocateProducerIdsResponse as _tributary_v1_AllocateProducerIdsResponse, AllocateProducerIdsResponse__Output as _tributary_v1_AllocateProducerIdsResponse__Output } from '../../tributary/v1/AllocateProducerIdsResponse.js';
import type { AlterPartitionRequest as _tributary_v1_AlterPartitionRequest, AlterPartitionRequest__Output as _tributary_v1_AlterPartitionRequest__Output } from '../../tributary/v1/AlterPartitionRequest.js';
import type { AlterPartitionResponse as _tributary_v1_AlterPartitionResponse, AlterPartitionResponse__Output as _tributary_v1_AlterPartitionResponse__Output } from '../../tributary/v1/AlterPartitionResponse.js';
import type { BrokerHeartbeatRequest as _tributary_v1_BrokerHeartbeatRequest, BrokerHeartbeatRequest__Output as _tributary_v1_BrokerHeartbeatRequest__Output } from '../../tributary/v1/BrokerHeartbeatRequest.js';
import type { BrokerHeartbeatResponse as _tributary_v1_BrokerHeartbeatResponse, BrokerHeartbeatResponse__Output as _tributary_v1_BrokerHeartbeatResponse__Output } from '../../tributary/v1/BrokerHeartbeatResponse.js';
import type { RegisterBrokerRequest as _tributary_v1_RegisterBrokerRequest, RegisterBrokerRequest__Output as _tributary_v1_RegisterBrokerRequest__Output } from '../../tributary/v1/RegisterBrokerRequest.js';
import type { RegisterBrokerResponse as _tributary_v1_RegisterBrokerResponse, RegisterBrokerResponse__Output as _tributary_v1_RegisterBrokerResponse__Output } from '../../tributary/v1/RegisterBrokerResponse.js';

/**
 * Broker lifecycle: registration and the heartbeat lease (DESIGN §5).
 */
export interface BrokerLifecycleClient extends grpc.Client {
  /**
   * A block of producer ids for the broker to hand out (InitProducerId). Appends a ProducerIds record
   * and answers once it is committed, so a block is never handed out twice, even across failover.
   */
  AllocateProducerIds(argument: _tributary_v1_AllocateProducerIdsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AllocateProducerIdsResponse__Output>): grpc.ClientUnaryCall;
  AllocateProducerIds(argument: _tributary_v1_AllocateProducerIdsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_AllocateProducerIdsResponse__Output>): grpc.ClientUnaryCall;
  AllocateProducerIds(argument: _tributary_v1_AllocateProducerIdsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AllocateProducerIdsResponse__Output>): grpc.ClientUnaryCall;
  AllocateProducerIds(argument: _tributary_v1_AllocateProducerIdsRequest, callback: grpc.requestCallback<_tributary_v1_AllocateProducerIdsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A block of producer ids for the broker to hand out (InitProducerId). Appends a ProducerIds record
   * and answers once it is committed, so a block is never handed out twice, even across failover.
   */
  allocateProducerIds(argument: _tributary_v1_AllocateProducerIdsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AllocateProducerIdsResponse__Output>): grpc.ClientUnaryCall;
  allocateProducerIds(argument: _tributary_v1_AllocateProducerIdsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_AllocateProducerIdsResponse__Output>): grpc.ClientUnaryCall;
  allocateProducerIds(argument: _tributary_v1_AllocateProducerIdsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AllocateProducerIdsResponse__Output>): grpc.ClientUnaryCall;
  allocateProducerIds(argument: _tributary_v1_AllocateProducerIdsRequest, callback: grpc.requestCallback<_tributary_v1_AllocateProducerIdsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A partition leader reports ISR changes (shrink/expand) with the partition epoch it based them on; a
   * stale epoch is refused (STALE_PARTITION_EPOCH) and the leader retries from the newer metadata.
   */
  AlterPartition(argument: _tributary_v1_AlterPartitionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterPartitionResponse__Output>): grpc.ClientUnaryCall;
  AlterPartition(argument: _tributary_v1_AlterPartitionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_AlterPartitionResponse__Output>): grpc.ClientUnaryCall;
  AlterPartition(argument: _tributary_v1_AlterPartitionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterPartitionResponse__Output>): grpc.ClientUnaryCall;
  AlterPartition(argument: _tributary_v1_AlterPartitionRequest, callback: grpc.requestCallback<_tributary_v1_AlterPartitionResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A partition leader reports ISR changes (shrink/expand) with the partition epoch it based them on; a
   * stale epoch is refused (STALE_PARTITION_EPOCH) and the leader retries from the newer metadata.
   */
  alterPartition(argument: _tributary_v1_AlterPartitionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterPartitionResponse__Output>): grpc.ClientUnaryCall;
  alterPartition(argument: _tributary_v1_AlterPartitionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_AlterPartitionResponse__Output>): grpc.ClientUnaryCall;
  alterPartition(argument: _tributary_v1_AlterPartitionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_AlterPartitionResponse__Output>): grpc.ClientUnaryCall;
  alterPartition(argument: _tributary_v1_AlterPartitionRequest, callback: grpc.requestCallback<_tributary_v1_AlterPartitionResponse__Output>): grpc.ClientUnaryCall;
  
  BrokerHeartbeat(argument: _tributary_v1_BrokerHeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_BrokerHeartbeatResponse__Output>): grpc.ClientUnaryCall;
  BrokerHeartbeat(argument: _tributary_v1_BrokerHeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_BrokerHeartbeatResponse__Output>): grpc.ClientUnaryCall;
  BrokerHeartbeat(argument: _tributary_v1_BrokerHeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_BrokerHeartbeatResponse__Output>): grpc.ClientUnaryCall;
  BrokerHeartbeat(argument: _tributary_v1_BrokerHeartbeatRequest, callback: grpc.requestCallback<_tributary_v1_BrokerHeartbeatResponse__Output>): grpc.ClientUnaryCall;
  brokerHeartbeat(argument: _tributary_v1_BrokerHeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_BrokerHeartbeatResponse__Output>): grpc.ClientUnaryCall;
  brokerHeartbeat(argument: _tributary_v1_BrokerHeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_BrokerHeartbeatResponse__Output>): grpc.ClientUnaryCall;
  brokerHeartbeat(argument: _tributary_v1_BrokerHeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_BrokerHeartbeatResponse__Output>): grpc.ClientUnaryCall;
  brokerHeartbeat(argument: _tributary_v1_BrokerHeartbeatRequest, callback: grpc.requestCallback<_tributary_v1_BrokerHeartbeatResponse__Output>): grpc.ClientUnaryCall;
  
  RegisterBroker(argument: _tributary_v1_RegisterBrokerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_RegisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  RegisterBroker(argument: _tributary_v1_RegisterBrokerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_RegisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  RegisterBroker(argument: _tributary_v1_RegisterBrokerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_RegisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  RegisterBroker(argument: _tributary_v1_RegisterBrokerRequest, callback: grpc.requestCallback<_tributary_v1_RegisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  registerBroker(argument: _tributary_v1_RegisterBrokerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_RegisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  registerBroker(argument: _tributary_v1_RegisterBrokerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tributary_v1_RegisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  registerBroker(argument: _tributary_v1_RegisterBrokerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tributary_v1_RegisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  registerBroker(argument: _tributary_v1_RegisterBrokerRequest, callback: grpc.requestCallback<_tributary_v1_RegisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Broker lifecycle: registration and the heartbeat lease (DESIGN §5).
 */
export interface BrokerLifecycleHandlers extends grpc.UntypedServiceImplementation {
  /**
   * A block of producer ids for the broker to hand out (InitProducerId). Appends a ProducerIds record
   * and answers once it is committed, so a block is never handed out twice, even across failover.
   */
  AllocateProducerIds: grpc.handleUnaryCall<_tributary_v1_AllocateProducerIdsRequest__Output, _tributary_v1_AllocateProducerIdsResponse>;
  
  /**
   * A partition leader reports ISR changes (shrink/expand) with the partition epoch it based them on; a
   * stale epoch is refused (STALE_PARTITION_EPOCH) and the leader retries from the newer metadata.
   */
  AlterPartition: grpc.handleUnaryCall<_tributary_v1_AlterPartitionRequest__Output, _tributary_v1_AlterPartitionResponse>;
  
  BrokerHeartbeat: grpc.handleUnaryCall<_tributary_v1_BrokerHeartbeatRequest__Output, _tributary_v1_BrokerHeartbeatResponse>;
  
  RegisterBroker: grpc.handleUnaryCall<_tributary_v1_RegisterBrokerRequest__Output, _tributary_v1_RegisterBrokerResponse>;
  
}

export interface BrokerLifecycleDefinition extends grpc.ServiceDefinition {
  AllocateProducerIds: MethodDefinition<_tributary_v1_AllocateProducerIdsRequest, _tributary_v1_AllocateProducerIdsResponse, _tributary_v1_AllocateProducerIdsRequest__Output, _tributary_v1_AllocateProducerIdsResponse__Output>
  AlterPartition: MethodDefinition<_tributary_v1_AlterPartitionRequest, _tributary_v1_AlterPartitionResponse, _tributary_v1_AlterPartitionRequest__Output, _tributary_v1_AlterPartitionResponse__Output>
  BrokerHeartbeat: MethodDefinition<_tributary_v1_BrokerHeartbeatRequest, _tributary_v1_BrokerHeartbeatResponse, _tributary_v1_BrokerHeartbeatRequest__Output, _tributary_v1_BrokerHeartbeatResponse__Output>
  RegisterBroker: MethodDefinition<_tributary_v1_RegisterBrokerRequest, _tributary_v1_RegisterBrokerResponse, _tributary_v1_RegisterBrokerRequest__Output, _tributary_v1_RegisterBrokerResponse__Output>
}
